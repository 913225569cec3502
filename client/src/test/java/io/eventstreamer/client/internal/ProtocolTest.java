package io.eventstreamer.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstreamer.client.Gap;
import io.eventstreamer.client.StreamEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    // --- subscribe -----------------------------------------------------------------------------

    @Test
    @DisplayName("subscribe without clientId or resume has only type and categories")
    void plainSubscribe() {
        assertThat(Protocol.subscribe(List.of("scheduler", "dlq"), null, Map.of()))
                .isEqualTo("{\"type\":\"subscribe\",\"categories\":[\"scheduler\",\"dlq\"]}");
    }

    @Test
    @DisplayName("subscribe carries clientId and one resume entry per category with a last id, in order")
    void subscribeWithResume() throws Exception {
        Map<String, String> resume = new LinkedHashMap<>();
        resume.put("scheduler", "1764108651123-42");
        resume.put("dlq", "1764108651123-7");

        String message = Protocol.subscribe(List.of("scheduler", "dlq", "webhook"), "c1", resume);

        assertThat(message).isEqualTo("{\"type\":\"subscribe\",\"categories\":[\"scheduler\",\"dlq\",\"webhook\"],"
                + "\"clientId\":\"c1\",\"resume\":{\"scheduler\":\"1764108651123-42\",\"dlq\":\"1764108651123-7\"}}");
        assertThat(JSON.readTree(message).get("resume").get("dlq").asText()).isEqualTo("1764108651123-7");
    }

    // --- event ---------------------------------------------------------------------------------

    @Test
    void parsesAnEvent() {
        String text = "{\"type\":\"event\",\"id\":\"1764108651123-17\",\"event\":\"retry-started\",\"category\":\"error-recovery\","
                + "\"data\":{\"retryId\":\"payment-8812\",\"attemptNumber\":2},"
                + "\"timestamp\":\"2026-11-25T22:10:51.123Z\",\"clientId\":\"my-client\",\"futureField\":true}";

        ServerMessage message = Protocol.parse(text);

        assertThat(message).isInstanceOf(ServerMessage.Event.class);
        StreamEvent event = ((ServerMessage.Event) message).event();
        assertThat(event.id()).isEqualTo("1764108651123-17");
        assertThat(event.category()).isEqualTo("error-recovery");
        assertThat(event.type()).isEqualTo("retry-started");
        assertThat(event.data().get("retryId").asText()).isEqualTo("payment-8812");
        assertThat(event.data().get("attemptNumber").asInt()).isEqualTo(2);
        assertThat(event.timestamp()).isEqualTo(Instant.parse("2026-11-25T22:10:51.123Z"));
        assertThat(event.raw()).isSameAs(text);
    }

    @Test
    @DisplayName("an event without data or with an unreadable timestamp is still an event")
    void lenientEvent() {
        StreamEvent event = ((ServerMessage.Event) Protocol.parse(
                "{\"type\":\"event\",\"id\":\"3\",\"category\":\"dlq\",\"timestamp\":\"yesterday\"}")).event();

        assertThat(event.data().isNull()).isTrue();
        assertThat(event.timestamp()).isNull();
        assertThat(event.type()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"type\":\"event\",\"category\":\"dlq\",\"data\":{}}",
            "{\"type\":\"event\",\"id\":\"1\",\"data\":{}}",
            "{\"type\":\"event\",\"id\":{},\"category\":\"dlq\"}"})
    @DisplayName("an event without a string id and category is malformed: it can't be resumed from")
    void eventWithoutIdOrCategory(String text) {
        assertThat(Protocol.parse(text)).isInstanceOf(ServerMessage.Malformed.class);
    }

    // --- gap -----------------------------------------------------------------------------------

    @Test
    @DisplayName("a history-expired gap gives its category, reason, lastId, continuesFrom and missed")
    void historyExpiredGap() {
        Gap gap = gap("{\"type\":\"gap\",\"timestamp\":\"2026-11-25T22:10:51.123Z\",\"data\":{\"category\":\"dlq\","
                + "\"reason\":\"history-expired\",\"lastId\":\"1764108651123-7\",\"continuesFrom\":\"1764108651123-950\",\"missed\":943}}");

        assertThat(gap.category()).isEqualTo("dlq");
        assertThat(gap.reason()).isEqualTo(Gap.HISTORY_EXPIRED);
        assertThat(gap.lastId()).contains("1764108651123-7");
        assertThat(gap.continuesFrom()).contains("1764108651123-950");
        assertThat(gap.missed()).isEqualTo(OptionalLong.of(943));
        assertThat(gap.resumeFrom()).isEmpty();
    }

    @Test
    @DisplayName("continuesFrom null (nothing published yet) and an absent missed are empty")
    void epochChangedGapWithNothingPublished() {
        Gap gap = gap("{\"type\":\"gap\",\"data\":{\"category\":\"scheduler\",\"reason\":\"epoch-changed\","
                + "\"lastId\":\"1764108651123-42\",\"continuesFrom\":null}}");

        assertThat(gap.reason()).isEqualTo(Gap.EPOCH_CHANGED);
        assertThat(gap.continuesFrom()).isEmpty();
        assertThat(gap.missed()).isEmpty();
        assertThat(gap.data().has("continuesFrom")).isTrue();
    }

    @Test
    void overflowGap() {
        Gap gap = gap("{\"type\":\"gap\",\"data\":{\"category\":\"webhook\",\"reason\":\"overflow\",\"missed\":12,"
                + "\"firstMissed\":\"5-101\",\"lastMissed\":\"5-112\",\"resumeFrom\":\"5-100\"}}");

        assertThat(gap.reason()).isEqualTo(Gap.OVERFLOW);
        assertThat(gap.missed()).isEqualTo(OptionalLong.of(12));
        assertThat(gap.resumeFrom()).contains("5-100");
        assertThat(gap.data().get("firstMissed").asText()).isEqualTo("5-101");
        assertThat(gap.continuesFrom()).isEmpty();
    }

    @Test
    @DisplayName("a gap without category or reason is malformed")
    void malformedGap() {
        assertThat(Protocol.parse("{\"type\":\"gap\",\"data\":{\"reason\":\"overflow\"}}"))
                .isInstanceOf(ServerMessage.Malformed.class);
        assertThat(Protocol.parse("{\"type\":\"gap\",\"data\":{\"category\":\"dlq\"}}"))
                .isInstanceOf(ServerMessage.Malformed.class);
        assertThat(Protocol.parse("{\"type\":\"gap\"}")).isInstanceOf(ServerMessage.Malformed.class);
    }

    // --- the others ----------------------------------------------------------------------------

    @Test
    void parsesTheOtherServerMessages() {
        ServerMessage ack = Protocol.parse("{\"type\":\"subscription-ack\",\"timestamp\":\"2026-11-25T22:10:51.123Z\","
                + "\"data\":{\"categories\":[\"dlq\"],\"resume\":{\"dlq\":{\"resumed\":true,\"replayed\":5}}}}");
        assertThat(ack).isInstanceOf(ServerMessage.SubscriptionAck.class);
        assertThat(((ServerMessage.SubscriptionAck) ack).data().at("/resume/dlq/replayed").asInt()).isEqualTo(5);

        assertThat(Protocol.parse("{\"type\":\"ping\",\"timestamp\":\"2026-11-25T22:10:51.123Z\"}"))
                .isInstanceOf(ServerMessage.Ping.class);

        ServerMessage error = Protocol.parse("{\"type\":\"error\",\"data\":{\"error\":\"Unknown category: billing\",\"code\":\"unknown-category\"}}");
        assertThat(error).isInstanceOf(ServerMessage.ErrorNotice.class);
        assertThat(((ServerMessage.ErrorNotice) error).code()).isEqualTo("unknown-category");
        assertThat(((ServerMessage.ErrorNotice) Protocol.parse("{\"type\":\"error\"}")).code()).isNull();

        assertThat(Protocol.parse("{\"type\":\"pong\"}")).isEqualTo(
                new ServerMessage.Other("pong", JSON.createObjectNode().put("type", "pong")));
        assertThat(Protocol.parse("{\"type\":\"something-new\",\"data\":1}")).isInstanceOf(ServerMessage.Other.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "{\"type\":", "[\"event\"]", "42", "null", "{}", "{\"type\":7}"})
    void malformed(String text) {
        ServerMessage message = Protocol.parse(text);

        assertThat(message).isInstanceOf(ServerMessage.Malformed.class);
        assertThat(((ServerMessage.Malformed) message).text()).isEqualTo(text);
    }

    @Test
    void pongIsTheProtocolsPong() throws Exception {
        assertThat(JSON.readTree(Protocol.PONG)).isEqualTo(JSON.createObjectNode().put("type", "pong"));
    }

    private static Gap gap(String text) {
        ServerMessage message = Protocol.parse(text);
        assertThat(message).isInstanceOf(ServerMessage.GapNotice.class);
        return ((ServerMessage.GapNotice) message).gap();
    }
}
