package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Server-Sent Events: the second transport, on the real host, read with the JDK's HTTP client. */
class SseTest {
    private static final String ALPHA = "test-alpha";
    private static final String BETA = "test-beta";
    private static final String BOTH = "/sse?categories=" + ALPHA + "," + BETA;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private static String emitAlpha(EventStreamer host, int count) {
        return host.emitter(ALPHA).emit("alpha-happened", Map.of("name", "a", "count", count));
    }

    private static String emitBeta(EventStreamer host, int count) {
        return host.emitter(BETA).emit("beta-measured", Map.of("value", count, "measuredAt", Instant.now().toString()));
    }

    @Test
    @DisplayName("a stream starts with retry and the ack; each event has its type as event name, the same JSON as"
            + " over WebSocket, and an id holding the position in every category")
    void eventsAsTheWebSocketClientGetsThem() {
        EventStreamer host = hosts.start();
        SseStream sse = hosts.sse(BOTH + "&clientId=dash-1");
        assertThat(sse.status()).isEqualTo(200);
        assertThat(sse.header("Content-Type")).startsWith("text/event-stream");
        assertThat(sse.next().retry()).isEqualTo("2000");
        SseStream.Message ack = sse.nextEvent();
        assertThat(ack.event()).isEqualTo("subscription-ack");
        assertThat(ack.json().at("/data/categories").toString()).isEqualTo("[\"" + ALPHA + "\",\"" + BETA + "\"]");
        String alphaStart = ack.json().at("/data/lastIds/" + ALPHA).asText();
        assertThat(SseStream.positions(ack.id())).containsExactly(
                Map.entry(ALPHA, alphaStart), Map.entry(BETA, ack.json().at("/data/lastIds/" + BETA).asText()));
        TestClient ws = hosts.client();
        ws.subscribed("dash-1", ALPHA, BETA);

        String a1 = emitAlpha(host, 1);
        String b1 = emitBeta(host, 2);
        SseStream.Message first = sse.nextEvent();
        SseStream.Message second = sse.nextEvent();
        assertThat(first.event()).isEqualTo("alpha-happened");
        assertThat(first.json()).isEqualTo(ws.nextEvent());
        assertThat(SseStream.positions(first.id())).containsEntry(ALPHA, a1);
        assertThat(second.event()).isEqualTo("beta-measured");
        assertThat(second.json()).isEqualTo(ws.nextEvent());
        assertThat(SseStream.positions(second.id())).containsExactly(Map.entry(ALPHA, a1), Map.entry(BETA, b1));
    }

    @Test
    @DisplayName("reconnecting with Last-Event-ID replays exactly what was missed in every category, without"
            + " duplicates; a category that had no event yet resumes from its start")
    void lastEventIdResumesEveryCategory() {
        EventStreamer host = hosts.start();
        SseStream first = hosts.sse(BOTH);
        first.nextEvent(); // ack
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add(emitAlpha(host, i));
        }
        for (int i = 0; i < 3; i++) {
            assertThat(first.nextEvent().json().get("id").asText()).isEqualTo(sent.get(i));
        }
        String lastEventId = first.lastEventId();
        first.close();
        List<String> missedAlpha = new ArrayList<>();
        List<String> missedBeta = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            missedAlpha.add(emitAlpha(host, 10 + i));
            missedBeta.add(emitBeta(host, 10 + i));
        }

        SseStream again = hosts.sse(BOTH, "Last-Event-ID", lastEventId);
        JsonNode ack = again.nextEvent().json();
        assertThat(ack.at("/data/resume/" + ALPHA + "/resumed").asBoolean()).as(ack.toString()).isTrue();
        assertThat(ack.at("/data/resume/" + BETA + "/resumed").asBoolean()).as(ack.toString()).isTrue();
        List<String> replayedAlpha = new ArrayList<>();
        List<String> replayedBeta = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            JsonNode event = again.nextEvent().json();
            (ALPHA.equals(event.get("category").asText()) ? replayedAlpha : replayedBeta).add(event.get("id").asText());
        }
        assertThat(replayedAlpha).containsExactlyElementsOf(missedAlpha);
        assertThat(replayedBeta).containsExactlyElementsOf(missedBeta);
        String live = emitAlpha(host, 99);
        assertThat(again.nextEvent().json().get("id").asText()).isEqualTo(live);
    }

    @Test
    @DisplayName("?resume= resumes like Last-Event-ID, which wins when both are given")
    void resumeParameter() {
        EventStreamer host = hosts.start();
        String a1 = emitAlpha(host, 1);
        String a2 = emitAlpha(host, 2);
        String a3 = emitAlpha(host, 3);
        SseStream fromQuery = hosts.sse("/sse?categories=" + ALPHA + "&resume=" + enc(ALPHA + "=" + a1));
        fromQuery.nextEvent();
        assertThat(fromQuery.nextEvent().json().get("id").asText()).isEqualTo(a2);
        assertThat(fromQuery.nextEvent().json().get("id").asText()).isEqualTo(a3);
        SseStream both = hosts.sse("/sse?categories=" + ALPHA + "&resume=" + enc(ALPHA + "=" + a1),
                "Last-Event-ID", ALPHA + "=" + a2);
        both.nextEvent();
        assertThat(both.nextEvent().json().get("id").asText()).isEqualTo(a3);
    }

    @Test
    @DisplayName("an id from before a restart gets an epoch-changed gap event, whose id moves the position on")
    void epochChanged() {
        EventStreamer host = hosts.start();
        String old = emitAlpha(host, 1);
        host.stop();
        EventStreamer restarted = hosts.start();
        SseStream sse = hosts.sse("/sse?categories=" + ALPHA, "Last-Event-ID", ALPHA + "=" + old);
        JsonNode ack = sse.nextEvent().json();
        assertThat(ack.at("/data/resume/" + ALPHA + "/reason").asText()).isEqualTo("epoch-changed");
        SseStream.Message gap = sse.nextEvent();
        assertThat(gap.event()).isEqualTo("gap");
        assertThat(gap.json().at("/data/reason").asText()).isEqualTo("epoch-changed");
        String continuesFrom = gap.json().at("/data/continuesFrom").asText();
        assertThat(SseStream.positions(gap.id())).containsEntry(ALPHA, continuesFrom);
        String fresh = emitAlpha(restarted, 2);
        assertThat(sse.nextEvent().json().get("id").asText()).isEqualTo(fresh);
    }

    @Test
    @DisplayName("bad requests get 4xx with the protocol's error code: no category, an unknown one, a bad resume id")
    void badRequests() {
        hosts.start();
        assertRefused(hosts.get("/sse"), 400, "invalid-categories");
        assertRefused(hosts.get("/sse?categories=nope"), 400, "unknown-category");
        assertRefused(hosts.get("/sse?categories=" + ALPHA + "&resume=garbage"), 400, "invalid-resume");
        assertRefused(hosts.get("/sse?categories=" + ALPHA, "Last-Event-ID", ALPHA + "=1-x"), 400, "invalid-resume");
        assertRefused(hosts.post("/sse?categories=" + ALPHA, "{}"), 405, "method-not-allowed");
        assertThat(hosts.host().clientCount()).isZero();
    }

    private static void assertRefused(HttpResponse<String> response, int status, String code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(HostExtension.json(response).get("code").asText()).isEqualTo(code);
    }

    @Test
    @DisplayName("with auth: no token 401, a token in the header or ?token= opens the stream, a category the token"
            + " doesn't allow 403")
    void auth() {
        String hmac = "auth.enabled = true\nauth.jwt.hmac-secret = \"" + Tokens.SECRET + "\"\n"
                + "auth.jwt.issuer = \"https://auth.example.com\"\nauth.jwt.audience = \"event-streamer\"";
        EventStreamer host = hosts.start(hmac);
        String token = Tokens.hs256(Tokens.claims(List.of(ALPHA), Instant.now().plusSeconds(3600)).build());
        assertRefused(hosts.get("/sse?categories=" + ALPHA), 401, "unauthorized");
        assertRefused(hosts.get("/sse?categories=" + ALPHA + "&token=not-a-jwt"), 401, "invalid-token");
        assertRefused(hosts.get("/sse?categories=" + BETA + "&token=" + token), 403, "forbidden-category");
        SseStream header = hosts.sse("/sse?categories=" + ALPHA, "Authorization", "Bearer " + token);
        SseStream query = hosts.sse("/sse?categories=" + ALPHA + "&token=" + token);
        assertThat(header.nextEvent().event()).isEqualTo("subscription-ack");
        assertThat(query.nextEvent().event()).isEqualTo("subscription-ack");
        String id = emitAlpha(host, 1);
        assertThat(header.nextEvent().json().get("id").asText()).isEqualTo(id);
        assertThat(query.nextEvent().json().get("id").asText()).isEqualTo(id);
    }

    @Test
    @DisplayName("SSE and WebSocket share max-clients: when full, the stream only says retry and ends (a browser"
            + " reconnects after it), with the real status in a comment")
    void capacityIsShared() {
        EventStreamer host = hosts.start("max-clients = 2");
        hosts.client().subscribed("ws", ALPHA);
        SseStream sse = hosts.sse("/sse?categories=" + ALPHA);
        sse.nextEvent();
        assertThat(host.clientCount()).isEqualTo(2);
        SseStream refused = hosts.sse("/sse?categories=" + ALPHA);
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.header("Retry-After")).isEqualTo("2");
        List<SseStream.Message> all = refused.untilEnd();
        assertThat(all).extracting(SseStream.Message::retry).contains("2000");
        assertThat(all).extracting(SseStream.Message::comment).anyMatch(c -> c != null && c.startsWith("503"));
        assertThat(all).allMatch(m -> m.data() == null);
        JsonNode status = hosts.status();
        assertThat(status.get("connectedClients").asInt()).isEqualTo(2);
        assertThat(status.get("connectedByTransport").toString()).isEqualTo("{\"websocket\":1,\"sse\":1}");
        assertThat(hosts.get("/metrics").body())
                .contains("eventstreamer_transport_clients{transport=\"sse\"} 1.0")
                .contains("eventstreamer_transport_clients{transport=\"websocket\"} 1.0");
    }

    @Test
    @DisplayName("streams count against max-connections-per-address, not against the HTTP connection limit")
    void perAddress() {
        hosts.start("limits.max-connections-per-address = 3", "limits.max-http-connections-per-address = 2");
        List<SseStream> open = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            SseStream stream = hosts.sse("/sse?categories=" + ALPHA);
            assertThat(stream.nextEvent().event()).isEqualTo("subscription-ack");
            open.add(stream);
        }
        // Three streams from one address, over an HTTP limit of two: they left the HTTP count.
        assertThat(hosts.host().clientCount()).isEqualTo(3);
        SseStream fourth = hosts.sse("/sse?categories=" + ALPHA);
        assertThat(fourth.untilEnd()).extracting(SseStream.Message::comment)
                .anyMatch(c -> c != null && c.startsWith("429"));
        String id = emitAlpha(hosts.host(), 1);
        for (SseStream stream : open) {
            assertThat(stream.nextEvent().json().get("id").asText()).isEqualTo(id);
        }
    }

    @Test
    @DisplayName("the heartbeat is a comment line; an SSE client, which can't answer, is not closed as stale")
    void heartbeatWithoutStaleClose() {
        EventStreamer host = hosts.start("heartbeat-interval = 100ms", "connection-timeout = 300ms");
        SseStream sse = hosts.sse("/sse?categories=" + ALPHA);
        sse.nextEvent();
        for (int i = 0; i < 8; i++) {
            assertThat(sse.nextComment()).isEqualTo("ping");
        }
        // 800 ms of pings: well past the connection timeout, and still open.
        String id = emitAlpha(host, 1);
        assertThat(sse.nextEvent().json().get("id").asText()).isEqualTo(id);
        assertThat(host.clientCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("on shutdown the stream gets every queued event, then a close comment, and ends")
    void drainedOnShutdown() {
        EventStreamer host = hosts.start();
        SseStream sse = hosts.sse("/sse?categories=" + ALPHA);
        sse.nextEvent();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(emitAlpha(host, i));
        }
        host.stop();
        List<SseStream.Message> all = sse.untilEnd();
        assertThat(all.stream().filter(m -> m.data() != null).map(m -> m.json().get("id").asText()).toList())
                .containsExactlyElementsOf(sent);
        assertThat(all.get(all.size() - 1).comment()).isEqualTo("close 1001 server restarting: reconnect and resume");
    }

    @Test
    @DisplayName("published JSON with line breaks arrives as several data lines that join to the same JSON")
    void lineBreaksInData() {
        hosts.start();
        SseStream sse = hosts.sse("/sse?categories=" + ALPHA);
        sse.nextEvent();
        HttpResponse<String> published = hosts.post("/api/events", "{\"category\":\"test-alpha\",\r\n"
                + "\"event\":\"alpha-happened\",\"data\":{\n  \"name\": \"multi\",\r\n  \"count\": 7\n}}");
        assertThat(published.statusCode()).as(published.body()).isEqualTo(202);
        SseStream.Message event = sse.nextEvent();
        assertThat(event.data()).contains("\n");
        assertThat(event.json().at("/data/name").asText()).isEqualTo("multi");
        assertThat(event.json().at("/data/count").asInt()).isEqualTo(7);
        String next = emitAlpha(hosts.host(), 8);
        assertThat(sse.nextEvent().json().get("id").asText()).isEqualTo(next);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
