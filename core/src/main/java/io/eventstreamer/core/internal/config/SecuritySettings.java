package io.eventstreamer.core.internal.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The settings that decide who gets in: JWT authentication, publish and admin tokens, allowed
 * origins, TLS and the limits against hostile clients. Read and checked with the other settings.
 */
public final class SecuritySettings {
    private final boolean authEnabled;
    private final String hmacSecret;
    private final Path publicKeyFile;
    private final Path jwksFile;
    private final String issuer;
    private final String audience;
    private final String categoriesClaim;
    private final Duration clockSkew;
    private final Duration authTimeout;
    private final Duration expiryWarning;
    private final List<String> publishTokens;
    private final String adminToken;
    private final List<String> allowedOrigins;
    private final boolean tlsEnabled;
    private final Path keystoreFile;
    private final String keystorePassword;
    private final String keyPassword;
    private final int httpRedirectPort;
    private final int maxCategoriesPerSubscribe;
    private final int maxMessagesPerSecond;
    private final int messageBurst;
    private final int maxConnectionsPerAddress;
    private final int maxEventsPerPublish;
    private final boolean requireExpiry;
    private final int maxHttpConnectionsPerAddress;
    private final int maxFramesPerSecond;
    private final int frameBurst;
    private final int maxFragmentsPerMessage;
    private final int publishEventsPerSecond;
    private final int publishBurst;
    private final boolean publishRateOnLoopback;

    /** The least limit "auto" gives limits.max-http-connections-per-address. */
    static final int AUTO_MIN_HTTP_CONNECTIONS_PER_ADDRESS = 256;

    SecuritySettings(SettingsReader s, int maxClients) {
        this.authEnabled = s.bool("auth.enabled");
        this.hmacSecret = s.string("auth.jwt.hmac-secret");
        this.publicKeyFile = optionalFile(s, "auth.jwt.public-key-file");
        this.jwksFile = optionalFile(s, "auth.jwt.jwks-file");
        this.issuer = s.string("auth.jwt.issuer");
        this.audience = s.string("auth.jwt.audience");
        this.categoriesClaim = s.string("auth.jwt.categories-claim");
        s.require("auth.jwt.categories-claim", !categoriesClaim.isBlank(), "a claim name");
        this.clockSkew = s.nonNegativeDuration("auth.jwt.clock-skew");
        this.authTimeout = s.positiveDuration("auth.timeout");
        this.expiryWarning = s.nonNegativeDuration("auth.expiry-warning");
        if (authEnabled) {
            checkVerificationKey(s);
        }
        this.publishTokens = List.copyOf(s.stringList("publish.tokens"));
        for (String token : publishTokens) {
            s.require("publish.tokens", token.length() >= 16, "a list of tokens of at least 16 characters");
        }
        this.adminToken = s.string("admin.token");
        s.require("admin.token", adminToken.isEmpty() || adminToken.length() >= 16, "empty or at least 16 characters");
        this.allowedOrigins = List.copyOf(s.stringList("server.allowed-origins"));
        this.tlsEnabled = s.bool("server.tls.enabled");
        this.keystoreFile = optionalFile(s, "server.tls.keystore-file");
        this.keystorePassword = s.string("server.tls.keystore-password");
        this.keyPassword = s.string("server.tls.key-password");
        this.httpRedirectPort = s.intInRange("server.tls.http-redirect-port", 0, 65535);
        if (tlsEnabled) {
            s.require("server.tls.keystore-file", keystoreFile != null, "a PKCS12 keystore file when TLS is enabled");
        }
        this.maxCategoriesPerSubscribe = s.intInRange("limits.max-categories-per-subscribe", 1, 10_000);
        this.maxMessagesPerSecond = s.intInRange("limits.max-messages-per-second", 1, 1_000_000);
        this.messageBurst = s.intInRange("limits.message-burst", 1, 1_000_000);
        this.maxConnectionsPerAddress = unlimitedIfZero(s.intInRange("limits.max-connections-per-address", 0, Integer.MAX_VALUE));
        this.maxEventsPerPublish = s.intInRange("limits.max-events-per-publish", 1, 1_000_000);
        this.requireExpiry = s.bool("auth.jwt.require-expiry");
        this.maxHttpConnectionsPerAddress = httpConnectionsPerAddress(s, maxClients);
        this.maxFramesPerSecond = s.intInRange("limits.max-frames-per-second", 1, 100_000_000);
        this.frameBurst = s.intInRange("limits.frame-burst", 1, 100_000_000);
        this.maxFragmentsPerMessage = s.intInRange("limits.max-fragments-per-message", 1, Integer.MAX_VALUE);
        this.publishEventsPerSecond = s.intInRange("limits.publish-events-per-second", 1, 100_000_000);
        this.publishBurst = s.intInRange("limits.publish-burst", 1, 100_000_000);
        this.publishRateOnLoopback = s.bool("limits.publish-rate-on-loopback");
    }

    /** 0 turns a per-address limit off. */
    private static int unlimitedIfZero(int limit) {
        return limit == 0 ? Integer.MAX_VALUE : limit;
    }

    /**
     * "auto": as many as max-clients (at least 256), so that every client behind one NAT or proxy
     * address can reconnect at once after a restart; else a number, 0 for no limit.
     */
    private static int httpConnectionsPerAddress(SettingsReader s, int maxClients) {
        String key = "limits.max-http-connections-per-address";
        ConfigValue value = s.value(key);
        if (value.valueType() == ConfigValueType.STRING && "auto".equals(value.unwrapped())) {
            return Math.max(AUTO_MIN_HTTP_CONNECTIONS_PER_ADDRESS, maxClients);
        }
        return unlimitedIfZero(s.intInRange(key, 0, Integer.MAX_VALUE));
    }

    /** With auth enabled, exactly one way to verify tokens, and an HMAC secret long enough for HS256. */
    private void checkVerificationKey(SettingsReader s) {
        String secretKey = "auth.jwt.hmac-secret";
        if (s.failed(secretKey, "auth.jwt.public-key-file", "auth.jwt.jwks-file")) {
            return; // the count would be made with a placeholder
        }
        int keys = (hmacSecret.isEmpty() ? 0 : 1) + (publicKeyFile == null ? 0 : 1) + (jwksFile == null ? 0 : 1);
        s.require("auth.enabled", keys == 1, "false, or true with exactly one of auth.jwt.hmac-secret,"
                + " auth.jwt.public-key-file and auth.jwt.jwks-file set (" + keys + " are set)");
        if (!hmacSecret.isEmpty()) {
            s.require(secretKey, hmacSecret.getBytes(StandardCharsets.UTF_8).length >= 32,
                    "at least 32 bytes long (HS256 needs a 256-bit key)");
        }
    }

    /** Null when not set; the path as given when it is not a readable file (a problem is recorded). */
    private static Path optionalFile(SettingsReader s, String key) {
        String name = s.string(key);
        if (name.isEmpty()) {
            return null;
        }
        Path path = Path.of(name);
        s.require(key, Files.isRegularFile(path) && Files.isReadable(path), "a readable file");
        return path;
    }

    public boolean authEnabled() {
        return authEnabled;
    }

    /** Empty when not set. */
    public String hmacSecret() {
        return hmacSecret;
    }

    /** Null when not set. */
    public Path publicKeyFile() {
        return publicKeyFile;
    }

    /** Null when not set. */
    public Path jwksFile() {
        return jwksFile;
    }

    /** Empty when not checked. */
    public String issuer() {
        return issuer;
    }

    /** Empty when not checked. */
    public String audience() {
        return audience;
    }

    public String categoriesClaim() {
        return categoriesClaim;
    }

    public Duration clockSkew() {
        return clockSkew;
    }

    public Duration authTimeout() {
        return authTimeout;
    }

    public Duration expiryWarning() {
        return expiryWarning;
    }

    public List<String> publishTokens() {
        return publishTokens;
    }

    /** Empty when the admin endpoints are open. */
    public String adminToken() {
        return adminToken;
    }

    /** Empty = any origin. */
    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    public boolean tlsEnabled() {
        return tlsEnabled;
    }

    public Path keystoreFile() {
        return keystoreFile;
    }

    public String keystorePassword() {
        return keystorePassword;
    }

    /** Empty = the keystore password. */
    public String keyPassword() {
        return keyPassword;
    }

    public int httpRedirectPort() {
        return httpRedirectPort;
    }

    public int maxCategoriesPerSubscribe() {
        return maxCategoriesPerSubscribe;
    }

    public int maxMessagesPerSecond() {
        return maxMessagesPerSecond;
    }

    public int messageBurst() {
        return messageBurst;
    }

    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    public int maxEventsPerPublish() {
        return maxEventsPerPublish;
    }

    /** Whether a token without "exp" is refused. */
    public boolean requireExpiry() {
        return requireExpiry;
    }

    /** Open non-WebSocket HTTP connections allowed per remote address. */
    public int maxHttpConnectionsPerAddress() {
        return maxHttpConnectionsPerAddress;
    }

    /** Average inbound WebSocket frames per second allowed per connection. */
    public int maxFramesPerSecond() {
        return maxFramesPerSecond;
    }

    /** Inbound WebSocket frames a connection may send at once. */
    public int frameBurst() {
        return frameBurst;
    }

    /** Frames one fragmented inbound message may arrive in. */
    public int maxFragmentsPerMessage() {
        return maxFragmentsPerMessage;
    }

    /** Average events per second one publisher may post. */
    public int publishEventsPerSecond() {
        return publishEventsPerSecond;
    }

    /** Events one publisher may post at once. */
    public int publishBurst() {
        return publishBurst;
    }

    /** Whether the publish rate limit applies to loopback publishers too. */
    public boolean publishRateOnLoopback() {
        return publishRateOnLoopback;
    }
}
