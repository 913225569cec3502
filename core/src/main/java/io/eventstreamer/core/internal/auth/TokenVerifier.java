package io.eventstreamer.core.internal.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.eventstreamer.core.InvalidSettingsException;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.text.ParseException;
import java.security.Key;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Verifies subscriber JWTs with nimbus-jose-jwt: the signature (HMAC secret, PEM public key or
 * local JWKS), then expiry, not-before, issuer and audience, and reads the categories claim.
 */
public final class TokenVerifier {
    private static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String issuer;
    private final String audience;
    private final String categoriesClaim;
    private final Duration clockSkew;
    private final boolean requireExpiry;

    public TokenVerifier(SecuritySettings settings) {
        this.issuer = settings.issuer();
        this.audience = settings.audience();
        this.categoriesClaim = settings.categoriesClaim();
        this.clockSkew = settings.clockSkew();
        this.requireExpiry = settings.requireExpiry();
        processor.setJWSKeySelector(keySelector(settings));
        // Claims are checked below, so that each failure gets its own code.
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
    }

    private static JWSKeySelector<SecurityContext> keySelector(SecuritySettings settings) {
        if (!settings.hmacSecret().isEmpty()) {
            JWKSource<SecurityContext> secret = new ImmutableSecret<>(settings.hmacSecret().getBytes(StandardCharsets.UTF_8));
            return new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512), secret);
        }
        Set<JWSAlgorithm> algorithms = new HashSet<>(JWSAlgorithm.Family.RSA);
        algorithms.addAll(JWSAlgorithm.Family.EC);
        try {
            if (settings.publicKeyFile() != null) {
                // One key: it verifies whatever "kid" the token names, for the algorithms of its type.
                JWK jwk = PemPublicKey.read(settings.publicKeyFile());
                Key key = jwk instanceof RSAKey ? ((RSAKey) jwk).toPublicKey() : ((ECKey) jwk).toPublicKey();
                Set<JWSAlgorithm> family = jwk instanceof RSAKey ? JWSAlgorithm.Family.RSA : JWSAlgorithm.Family.EC;
                return (header, context) -> family.contains(header.getAlgorithm()) ? List.of(key) : List.of();
            }
            JWKSet keys = JWKSet.load(settings.jwksFile().toFile());
            return new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(keys));
        } catch (IOException | ParseException | JOSEException | java.security.GeneralSecurityException
                | IllegalArgumentException e) {
            String file = settings.publicKeyFile() != null ? settings.publicKeyFile().toString()
                    : settings.jwksFile().toString();
            throw new InvalidSettingsException(String.format("%s: can't read the token verification key(s): %s",
                    file, e.getMessage()));
        }
    }

    /**
     * Verifies a token.
     *
     * @throws TokenException with code invalid-token, invalid-signature, token-without-expiry,
     *         token-expired, token-not-yet-valid, wrong-issuer or wrong-audience
     */
    public Principal verify(String token, Instant now) throws TokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenException(ErrorCode.INVALID_TOKEN, "The token is missing or too long");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (BadJWSException e) {
            throw new TokenException(ErrorCode.INVALID_SIGNATURE, "The token's signature is not valid");
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            throw new TokenException(ErrorCode.INVALID_TOKEN, "The token is not a JWT signed with an accepted key and algorithm");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null && requireExpiry) {
            // A token that never expires would stay good forever once leaked.
            throw new TokenException(ErrorCode.TOKEN_WITHOUT_EXPIRY,
                    "The token has no expiry (\"exp\" claim); this server requires one (auth.jwt.require-expiry)");
        }
        if (exp != null && now.minus(clockSkew).isAfter(exp.toInstant())) {
            throw new TokenException(ErrorCode.TOKEN_EXPIRED, "The token has expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(clockSkew).isBefore(nbf.toInstant())) {
            throw new TokenException(ErrorCode.TOKEN_NOT_YET_VALID, "The token is not valid yet");
        }
        if (!issuer.isEmpty() && !issuer.equals(claims.getIssuer())) {
            throw new TokenException(ErrorCode.WRONG_ISSUER, "The token was not issued by the expected issuer");
        }
        if (!audience.isEmpty() && (claims.getAudience() == null || !claims.getAudience().contains(audience))) {
            throw new TokenException(ErrorCode.WRONG_AUDIENCE, "The token is not meant for this server (audience)");
        }
        return new Principal(claims.getSubject(), categories(claims), allCategories(claims),
                exp == null ? null : exp.toInstant());
    }

    private boolean allCategories(JWTClaimsSet claims) {
        return "*".equals(claims.getClaim(categoriesClaim));
    }

    private Set<String> categories(JWTClaimsSet claims) {
        Object claim = claims.getClaim(categoriesClaim);
        Set<String> categories = new HashSet<>();
        if (claim instanceof List) {
            for (Object element : (List<?>) claim) {
                if (element instanceof String) {
                    categories.add((String) element);
                }
            }
        } else if (claim instanceof String && !"*".equals(claim)) {
            categories.add((String) claim);
        }
        return categories;
    }
}
