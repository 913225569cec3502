package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import io.eventstreamer.core.EventStreamer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Subscriber authentication with JWTs and authorization per category. */
class AuthTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final String HMAC = "auth.enabled = true\nauth.jwt.hmac-secret = \"" + Tokens.SECRET + "\"\n"
            + "auth.jwt.issuer = \"https://auth.example.com\"\nauth.jwt.audience = \"event-streamer\"";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private static Instant inAnHour() {
        return Instant.now().plusSeconds(3600);
    }

    private static String alphaToken() {
        return Tokens.hs256(Tokens.claims(List.of(ALPHA), inAnHour()).build());
    }

    private TestClient clientWithHeader(EventStreamer host, String token) {
        return hosts.client(host.webSocketUri(), Map.of("Authorization", "Bearer " + token));
    }

    private void assertUpgradeRefused(URI uri, Map<String, String> headers, int status) {
        assertThatThrownBy(() -> hosts.client(uri, headers))
                .hasStackTraceContaining(String.valueOf(status));
    }

    @Test
    @DisplayName("a valid token in the Authorization header, in ?token= or in subscribe lets the client subscribe")
    void tokenInHeaderQueryAndMessage() {
        EventStreamer host = hosts.start(HMAC);
        clientWithHeader(host, alphaToken()).subscribed("h", ALPHA);
        hosts.client(URI.create(host.webSocketUri() + "?token=" + alphaToken()), Map.of()).subscribed("q", ALPHA);
        TestClient inMessage = hosts.client();
        inMessage.send("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"token\":\"" + alphaToken() + "\"}");
        assertThat(inMessage.next().path("type").asText()).isEqualTo("subscription-ack");
        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "x", "count", 1));
        assertThat(inMessage.nextEvent().at("/data/count").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("without a token a client may connect but not subscribe; it is closed 1008 after auth.timeout")
    void noToken() {
        hosts.start(HMAC, "auth.timeout = 1s", "heartbeat-interval = 200ms", "connection-timeout = 60s");
        TestClient client = hosts.client();
        client.answerPings(TestClient.PingAnswer.JSON_PONG);
        client.send("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"]}");
        assertError(client.next(), "unauthorized");
        assertThat(hosts.status().at("/subscriptions/test-alpha").asInt()).isZero();
        assertError(client.next(Duration.ofSeconds(10)), "unauthorized");
        TestClient.CloseStatus close = client.awaitClose(Duration.ofSeconds(10));
        assertThat(close.code()).isEqualTo(1008);
    }

    @Test
    @DisplayName("bad signature, expired, not yet valid, wrong issuer, wrong audience, garbage: 401 at the upgrade"
            + " and an error with its code in subscribe")
    void invalidTokens() {
        EventStreamer host = hosts.start(HMAC);
        Map<String, String> cases = Map.of(
                Tokens.hs256(Tokens.claims(List.of(ALPHA), inAnHour()).build(), Tokens.OTHER_SECRET), "invalid-signature",
                Tokens.hs256(Tokens.claims(List.of(ALPHA), Instant.now().minusSeconds(600)).build()), "token-expired",
                Tokens.hs256(Tokens.claims(List.of(ALPHA), inAnHour())
                        .notBeforeTime(java.util.Date.from(Instant.now().plusSeconds(600))).build()), "token-not-yet-valid",
                Tokens.hs256(Tokens.claims(List.of(ALPHA), inAnHour()).issuer("https://evil.example").build()), "wrong-issuer",
                Tokens.hs256(Tokens.claims(List.of(ALPHA), inAnHour()).audience("someone-else").build()), "wrong-audience",
                "not.a.jwt", "invalid-token");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertUpgradeRefused(host.webSocketUri(), Map.of("Authorization", "Bearer " + c.getKey()), 401);
            TestClient client = hosts.client();
            client.send("{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"token\":\"" + c.getKey() + "\"}");
            JsonNode error = client.next();
            assertError(error, c.getValue());
            assertThat(error.at("/data/error").asText()).doesNotContain(c.getKey());
        }
        assertThat(hosts.status().at("/subscriptions/test-alpha").asInt()).isZero();
    }

    @Test
    @DisplayName("a category the token doesn't list is refused with forbidden-category and nothing changes")
    void forbiddenCategory() {
        EventStreamer host = hosts.start(HMAC);
        TestClient client = clientWithHeader(host, alphaToken());
        JsonNode refused = client.subscribe("c", ALPHA, "test-beta");
        assertError(refused, "forbidden-category");
        assertThat(refused.at("/data/categories").toString()).as("the forbidden categories, for programs")
                .isEqualTo("[\"test-beta\"]");
        assertThat(hosts.status().at("/subscriptions/test-alpha").asInt()).isZero();
        client.subscribed("c", ALPHA);
        String all = Tokens.hs256(Tokens.claims(List.of(), inAnHour()).claim("categories", "*").build());
        clientWithHeader(host, all).subscribed("d", ALPHA, "test-beta");
    }

    @Test
    @DisplayName("RS256 with a PEM public key and ES256 with a JWKS file")
    void asymmetricKeys(@TempDir Path dir) throws Exception {
        RSAKey rsa = Tokens.rsaKey("rsa-1");
        Path pem = Tokens.publicKeyPem(rsa, dir);
        EventStreamer host = hosts.start("auth.enabled = true", "auth.jwt.public-key-file = \"" + pem + "\"");
        clientWithHeader(host, Tokens.rs256(Tokens.claims(List.of(ALPHA), inAnHour()).build(), rsa)).subscribed("r", ALPHA);
        assertUpgradeRefused(host.webSocketUri(), Map.of("Authorization", "Bearer "
                + Tokens.rs256(Tokens.claims(List.of(ALPHA), inAnHour()).build(), Tokens.rsaKey("other"))), 401);
        host.stop();

        ECKey ec = Tokens.ecKey("ec-1");
        Path jwks = Tokens.jwks(dir, ec, Tokens.rsaKey("unused"));
        EventStreamer second = hosts.start("auth.enabled = true", "auth.jwt.jwks-file = \"" + jwks + "\"");
        clientWithHeader(second, Tokens.es256(Tokens.claims(List.of(ALPHA), inAnHour()).build(), ec)).subscribed("e", ALPHA);
    }

    @Test
    @DisplayName("a token expiring on a live connection: warned, refreshed in time; otherwise told and closed 1008")
    void expiryOnLiveConnection() {
        EventStreamer host = hosts.start(HMAC, "auth.jwt.clock-skew = 0s", "auth.expiry-warning = 2s",
                "heartbeat-interval = 100ms", "connection-timeout = 60s");
        String shortLived = Tokens.hs256(Tokens.claims(List.of(ALPHA), Instant.now().plusSeconds(3)).build());
        TestClient refreshing = clientWithHeader(host, shortLived);
        refreshing.answerPings(TestClient.PingAnswer.JSON_PONG);
        refreshing.subscribed("refreshing", ALPHA);
        TestClient lapsing = clientWithHeader(host, shortLived);
        lapsing.answerPings(TestClient.PingAnswer.JSON_PONG);
        lapsing.subscribed("lapsing", ALPHA);

        JsonNode warning = refreshing.next(Duration.ofSeconds(10));
        assertThat(warning.path("type").asText()).isEqualTo("token-expiring");
        refreshing.send("{\"type\":\"refresh\",\"token\":\"" + alphaToken() + "\"}");
        assertThat(refreshing.next().path("type").asText()).isEqualTo("refresh-ack");

        assertThat(lapsing.next(Duration.ofSeconds(10)).path("type").asText()).isEqualTo("token-expiring");
        assertError(lapsing.next(Duration.ofSeconds(10)), "token-expired");
        assertThat(lapsing.awaitClose(Duration.ofSeconds(10)).code()).isEqualTo(1008);

        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "still here", "count", 7));
        assertThat(refreshing.nextEvent().at("/data/count").asInt()).isEqualTo(7);
    }

    @Test
    @DisplayName("subscribe with another subject's token, or with a token lacking a subscribed category, is refused,"
            + " changes nothing, and the connection is still closed 1008 when its own token expires")
    void tokenSwapThroughSubscribeRefused() {
        EventStreamer host = hosts.start(HMAC, "auth.jwt.clock-skew = 0s", "auth.expiry-warning = 1s",
                "heartbeat-interval = 100ms", "connection-timeout = 60s");
        String aliceAlphaShort = Tokens.hs256(Tokens.claims(List.of(ALPHA), Instant.now().plusSeconds(4)).build());
        String bobBeta = Tokens.hs256(Tokens.claims(List.of(BETA), inAnHour()).subject("bob").build());
        String aliceBetaOnly = Tokens.hs256(Tokens.claims(List.of(BETA), inAnHour()).build());

        TestClient swapper = clientWithHeader(host, aliceAlphaShort);
        swapper.answerPings(TestClient.PingAnswer.JSON_PONG);
        swapper.subscribed("swapper", ALPHA);
        swapper.send(subscribeWithToken(BETA, bobBeta));
        JsonNode otherSubject = swapper.next();
        assertError(otherSubject, "invalid-token");
        assertThat(otherSubject.at("/data/error").asText()).isEqualTo("The new token is for another subject");

        TestClient narrower = clientWithHeader(host, aliceAlphaShort);
        narrower.answerPings(TestClient.PingAnswer.JSON_PONG);
        narrower.subscribed("narrower", ALPHA);
        narrower.send(subscribeWithToken(BETA, aliceBetaOnly));
        JsonNode lacking = narrower.next();
        assertError(lacking, "forbidden-category");
        assertThat(lacking.at("/data/error").asText()).contains(ALPHA);

        assertThat(hosts.status().at("/subscriptions/" + BETA).asInt()).isZero();
        host.emitter(BETA).emit("beta-measured", Map.of("value", 1, "measuredAt", "2026-01-01T00:00:00Z"));
        host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "before expiry", "count", 1));
        for (TestClient client : List.of(swapper, narrower)) {
            assertThat(client.awaitClose(Duration.ofSeconds(15)).code()).isEqualTo(1008);
            List<JsonNode> rest = client.drain();
            assertThat(rest).extracting(m -> m.path("type").asText()).doesNotContain("subscription-ack")
                    .contains("event", "token-expiring", "error");
            assertThat(rest).filteredOn(m -> "event".equals(m.path("type").asText()))
                    .extracting(m -> m.path("category").asText()).containsOnly(ALPHA);
            assertThat(rest).filteredOn(m -> "error".equals(m.path("type").asText()))
                    .extracting(m -> m.at("/data/code").asText()).containsExactly("token-expired");
        }
    }

    @Test
    @DisplayName("subscribe with a same-subject token that allows more categories is accepted, and the connection"
            + " then lives by the new token's expiry")
    void tokenChangeThroughSubscribeAccepted() {
        EventStreamer host = hosts.start(HMAC, "auth.jwt.clock-skew = 0s", "auth.expiry-warning = 1s",
                "heartbeat-interval = 100ms", "connection-timeout = 60s");
        // JWT times are whole seconds.
        Instant shortExpiry = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        Instant laterExpiry = Instant.now().plusSeconds(5).truncatedTo(ChronoUnit.SECONDS);
        String alphaShort = Tokens.hs256(Tokens.claims(List.of(ALPHA), shortExpiry).build());
        String both = Tokens.hs256(Tokens.claims(List.of(ALPHA, BETA), laterExpiry).build());

        TestClient client = clientWithHeader(host, alphaShort);
        client.answerPings(TestClient.PingAnswer.JSON_PONG);
        client.subscribed("wider", ALPHA);
        client.send(subscribeWithToken(BETA, both));
        JsonNode ack = client.next();
        assertThat(ack.path("type").asText()).as("%s", ack).isEqualTo("subscription-ack");
        assertThat(Wire.strings(ack.at("/data/categories"))).containsExactly(ALPHA, BETA);

        assertThat(client.awaitClose(Duration.ofSeconds(15)).code()).isEqualTo(1008);
        assertThat(Instant.now()).as("closed at the new token's expiry, not the first one's").isAfterOrEqualTo(laterExpiry);
        List<JsonNode> rest = client.drain();
        assertThat(rest).filteredOn(m -> "token-expiring".equals(m.path("type").asText()))
                .extracting(m -> Instant.parse(m.at("/data/expiresAt").asText()))
                .containsOnly(laterExpiry);
        assertThat(rest).filteredOn(m -> "error".equals(m.path("type").asText()))
                .extracting(m -> m.at("/data/code").asText()).containsExactly("token-expired");
    }

    @Test
    @DisplayName("a token without exp is refused with token-without-expiry at the upgrade (401), in subscribe and in"
            + " refresh; with auth.jwt.require-expiry = false it is accepted")
    void tokenWithoutExpiry() {
        String neverExpires = Tokens.hs256(Tokens.claims(List.of(ALPHA), inAnHour()).expirationTime(null).build());
        EventStreamer host = hosts.start(HMAC);
        assertUpgradeRefused(host.webSocketUri(), Map.of("Authorization", "Bearer " + neverExpires), 401);
        TestClient client = hosts.client();
        client.send(subscribeWithToken(ALPHA, neverExpires));
        JsonNode refused = client.next();
        assertError(refused, "token-without-expiry");
        assertThat(refused.at("/data/error").asText()).contains("exp").doesNotContain(neverExpires);
        TestClient refreshing = clientWithHeader(host, alphaToken());
        refreshing.subscribed("r", ALPHA);
        refreshing.send("{\"type\":\"refresh\",\"token\":\"" + neverExpires + "\"}");
        assertError(refreshing.next(), "token-without-expiry");
        host.stop();

        EventStreamer lenient = hosts.start(HMAC, "auth.jwt.require-expiry = false");
        clientWithHeader(lenient, neverExpires).subscribed("n", ALPHA);
    }

    private static String subscribeWithToken(String category, String token) {
        return "{\"type\":\"subscribe\",\"categories\":[\"" + category + "\"],\"token\":\"" + token + "\"}";
    }

    @Test
    @DisplayName("invalid auth settings stop the start with a message naming the key, never the secret")
    void invalidSettings() {
        assertThatThrownBy(() -> hosts.start("auth.enabled = true"))
                .hasMessageContaining("event-streamer.auth.enabled")
                .hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> hosts.start("auth.enabled = true", "auth.jwt.hmac-secret = \"short-secret\""))
                .hasMessageContaining("event-streamer.auth.jwt.hmac-secret was ********")
                .hasMessageNotContaining("short-secret");
    }
}
