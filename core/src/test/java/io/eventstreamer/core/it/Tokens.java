package io.eventstreamer.core.it;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Signs test JWTs with nimbus-jose-jwt (the same library the server verifies with). */
final class Tokens {
    static final String SECRET = "a-test-secret-that-is-at-least-32-bytes-long!";
    static final String OTHER_SECRET = "another-secret-that-is-also-32-bytes-or-more!!";

    private Tokens() {
    }

    static JWTClaimsSet.Builder claims(List<String> categories, Instant expires) {
        return new JWTClaimsSet.Builder().subject("alice").issuer("https://auth.example.com")
                .audience("event-streamer").claim("categories", categories)
                .expirationTime(Date.from(expires));
    }

    static String hs256(JWTClaimsSet claims) {
        return sign(claims, JWSAlgorithm.HS256, secret(SECRET), null);
    }

    static String hs256(JWTClaimsSet claims, String secret) {
        return sign(claims, JWSAlgorithm.HS256, secret(secret), null);
    }

    private static JWSSigner secret(String secret) {
        try {
            return new MACSigner(secret.getBytes(StandardCharsets.UTF_8));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String sign(JWTClaimsSet claims, JWSAlgorithm algorithm, JWSSigner signer, String keyId) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static ECKey ecKey(String keyId) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String rs256(JWTClaimsSet claims, RSAKey key) {
        try {
            return sign(claims, JWSAlgorithm.RS256, new RSASSASigner(key), key.getKeyID());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String es256(JWTClaimsSet claims, ECKey key) {
        try {
            return sign(claims, JWSAlgorithm.ES256, new ECDSASigner(key), key.getKeyID());
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the RSA public key as a PEM file. */
    static Path publicKeyPem(RSAKey key, Path dir) throws IOException, JOSEException {
        String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.toRSAPublicKey().getEncoded());
        Path file = dir.resolve("public.pem");
        Files.writeString(file, "-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----\n");
        return file;
    }

    /** Writes the public halves of keys as a JWKS file. */
    static Path jwks(Path dir, com.nimbusds.jose.jwk.JWK... keys) throws IOException {
        Path file = dir.resolve("jwks.json");
        Files.writeString(file, new JWKSet(List.of(keys)).toPublicJWKSet().toString());
        return file;
    }
}
