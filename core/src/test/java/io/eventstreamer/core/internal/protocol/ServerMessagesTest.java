package io.eventstreamer.core.internal.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.ServerMessage.ErrorMessage;
import io.eventstreamer.core.internal.protocol.ServerMessage.EventsDropped;
import io.eventstreamer.core.internal.protocol.ServerMessage.Gap;
import io.eventstreamer.core.internal.protocol.ServerMessage.OverflowGap;
import io.eventstreamer.core.internal.protocol.ServerMessage.Ping;
import io.eventstreamer.core.internal.protocol.ServerMessage.Pong;
import io.eventstreamer.core.internal.protocol.ServerMessage.RefreshAck;
import io.eventstreamer.core.internal.protocol.ServerMessage.StreamInterrupted;
import io.eventstreamer.core.internal.protocol.ServerMessage.StreamRestored;
import io.eventstreamer.core.internal.protocol.ServerMessage.SubscriptionAck;
import io.eventstreamer.core.internal.protocol.ServerMessage.SubscriptionAck.Resume;
import io.eventstreamer.core.internal.protocol.ServerMessage.TokenExpiring;
import io.eventstreamer.core.internal.protocol.ServerMessage.UnsubscriptionAck;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec, byte for byte: what each notice becomes on the wire (field order, null and left-out
 * fields), and that docs/protocol.md shows exactly that.
 */
class ServerMessagesTest {

    /** A notice, the time it is sent, the exact text a client gets, and whether protocol.md shows it. */
    record Sample(String name, ServerMessage message, String timestamp, String json, boolean documented) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Sample> samples() {
        Map<String, String> lastIds = new LinkedHashMap<>();
        lastIds.put("error-recovery", "1764108651123-40");
        lastIds.put("scheduler", "1764108651123-0");
        return List.of(
                new Sample("subscription-ack with where each category starts",
                        new SubscriptionAck(List.of("error-recovery", "scheduler"), lastIds, null),
                        "2026-11-25T22:10:51.123Z",
                        "{\"type\":\"subscription-ack\",\"timestamp\":\"2026-11-25T22:10:51.123Z\",\"data\":{"
                                + "\"categories\":[\"error-recovery\",\"scheduler\"],"
                                + "\"lastIds\":{\"error-recovery\":\"1764108651123-40\",\"scheduler\":\"1764108651123-0\"}}}",
                        true),
                new Sample("subscription-ack of a resume",
                        new SubscriptionAck(List.of("scheduler", "dlq"), Map.of(), List.of(
                                Resume.resumed("scheduler", 5), Resume.failed("dlq", GapReason.HISTORY_EXPIRED))),
                        "2026-11-25T22:20:01.002Z",
                        "{\"type\":\"subscription-ack\",\"timestamp\":\"2026-11-25T22:20:01.002Z\",\"data\":{"
                                + "\"categories\":[\"scheduler\",\"dlq\"],\"resume\":{"
                                + "\"scheduler\":{\"resumed\":true,\"replayed\":5},"
                                + "\"dlq\":{\"resumed\":false,\"reason\":\"history-expired\"}}}}",
                        true),
                new Sample("subscription-ack of a resume of categories already subscribed",
                        new SubscriptionAck(List.of("dlq"), Map.of(), List.of()),
                        "2026-11-25T22:20:01.002Z",
                        "{\"type\":\"subscription-ack\",\"timestamp\":\"2026-11-25T22:20:01.002Z\",\"data\":{"
                                + "\"categories\":[\"dlq\"],\"resume\":{}}}",
                        false),
                new Sample("unsubscription-ack",
                        new UnsubscriptionAck(List.of("scheduler")),
                        "2026-11-25T22:10:52.004Z",
                        "{\"type\":\"unsubscription-ack\",\"timestamp\":\"2026-11-25T22:10:52.004Z\",\"data\":{"
                                + "\"categories\":[\"scheduler\"]}}",
                        true),
                new Sample("unsubscription-ack of the last category",
                        new UnsubscriptionAck(List.of()),
                        "2026-11-25T22:10:52.004Z",
                        "{\"type\":\"unsubscription-ack\",\"timestamp\":\"2026-11-25T22:10:52.004Z\",\"data\":{"
                                + "\"categories\":[]}}",
                        false),
                new Sample("refresh-ack",
                        new RefreshAck(Instant.parse("2026-11-25T23:10:51.123Z")),
                        "2026-11-25T22:10:51.123Z",
                        "{\"type\":\"refresh-ack\",\"timestamp\":\"2026-11-25T22:10:51.123Z\",\"data\":{"
                                + "\"expiresAt\":\"2026-11-25T23:10:51.123Z\"}}",
                        true),
                new Sample("refresh-ack of a token without expiry",
                        new RefreshAck(null),
                        "2026-11-25T22:10:51.123Z",
                        "{\"type\":\"refresh-ack\",\"timestamp\":\"2026-11-25T22:10:51.123Z\",\"data\":{"
                                + "\"expiresAt\":null}}",
                        true),
                new Sample("token-expiring",
                        new TokenExpiring(Instant.parse("2026-11-25T23:10:51Z")),
                        "2026-11-25T23:09:51.000Z",
                        "{\"type\":\"token-expiring\",\"timestamp\":\"2026-11-25T23:09:51.000Z\",\"data\":{"
                                + "\"expiresAt\":\"2026-11-25T23:10:51.000Z\"}}",
                        true),
                new Sample("ping",
                        new Ping(),
                        "2026-11-25T22:11:21.000Z",
                        "{\"type\":\"ping\",\"timestamp\":\"2026-11-25T22:11:21.000Z\"}",
                        true),
                new Sample("pong",
                        new Pong(),
                        "2026-11-25T22:10:53.250Z",
                        "{\"type\":\"pong\",\"timestamp\":\"2026-11-25T22:10:53.250Z\"}",
                        true),
                new Sample("error",
                        new ErrorMessage(ErrorCode.UNKNOWN_CATEGORY,
                                "Unknown category 'billing' in subscribe; available: error-recovery, scheduler, webhook, dlq"),
                        "2026-11-25T22:10:54.000Z",
                        "{\"type\":\"error\",\"timestamp\":\"2026-11-25T22:10:54.000Z\",\"data\":{"
                                + "\"error\":\"Unknown category 'billing' in subscribe; available: error-recovery,"
                                + " scheduler, webhook, dlq\",\"code\":\"unknown-category\"}}",
                        true),
                new Sample("error capacity-exceeded",
                        new ErrorMessage(ErrorCode.CAPACITY_EXCEEDED, "Server capacity exceeded"),
                        "2026-11-25T22:10:55.000Z",
                        "{\"type\":\"error\",\"timestamp\":\"2026-11-25T22:10:55.000Z\",\"data\":{"
                                + "\"error\":\"Server capacity exceeded\",\"code\":\"capacity-exceeded\"}}",
                        true),
                new Sample("error that names categories",
                        new ErrorMessage(ErrorCode.FORBIDDEN_CATEGORY, "The token does not allow category dlq",
                                List.of("dlq")),
                        "2026-11-25T22:10:54.000Z",
                        "{\"type\":\"error\",\"timestamp\":\"2026-11-25T22:10:54.000Z\",\"data\":{"
                                + "\"error\":\"The token does not allow category dlq\",\"code\":\"forbidden-category\","
                                + "\"categories\":[\"dlq\"]}}",
                        true),
                new Sample("error whose text needs escaping",
                        new ErrorMessage(ErrorCode.INVALID_RESUME, "\"resume\" names category 'caf\u00e9\\\t'"),
                        "2026-11-25T22:10:54.000Z",
                        "{\"type\":\"error\",\"timestamp\":\"2026-11-25T22:10:54.000Z\",\"data\":{"
                                + "\"error\":\"\\\"resume\\\" names category 'caf\u00e9\\\\\\t'\","
                                + "\"code\":\"invalid-resume\"}}",
                        false),
                new Sample("events-dropped",
                        new EventsDropped(12),
                        "2026-11-25T22:10:56.000Z",
                        "{\"type\":\"error\",\"timestamp\":\"2026-11-25T22:10:56.000Z\",\"data\":{"
                                + "\"error\":\"12 events were dropped because this client did not read fast enough\","
                                + "\"code\":\"events-dropped\",\"dropped\":12}}",
                        true),
                new Sample("events-dropped, one",
                        new EventsDropped(1),
                        "2026-11-25T22:10:56.000Z",
                        "{\"type\":\"error\",\"timestamp\":\"2026-11-25T22:10:56.000Z\",\"data\":{"
                                + "\"error\":\"1 event was dropped because this client did not read fast enough\","
                                + "\"code\":\"events-dropped\",\"dropped\":1}}",
                        false),
                new Sample("gap of a failed resume",
                        new Gap("dlq", GapReason.HISTORY_EXPIRED, "1764108651123-7", "1764108651123-940", 933L),
                        "2026-11-25T22:20:01.003Z",
                        "{\"type\":\"gap\",\"timestamp\":\"2026-11-25T22:20:01.003Z\",\"data\":{"
                                + "\"category\":\"dlq\",\"reason\":\"history-expired\",\"lastId\":\"1764108651123-7\","
                                + "\"continuesFrom\":\"1764108651123-940\",\"missed\":933}}",
                        true),
                new Sample("gap of a failed resume, count unknown, nothing published yet",
                        new Gap("dlq", GapReason.UNKNOWN_ID, "nonsense", null, null),
                        "2026-11-25T22:20:01.003Z",
                        "{\"type\":\"gap\",\"timestamp\":\"2026-11-25T22:20:01.003Z\",\"data\":{"
                                + "\"category\":\"dlq\",\"reason\":\"unknown-id\",\"lastId\":\"nonsense\","
                                + "\"continuesFrom\":null}}",
                        false),
                new Sample("gap of a stream trimmed before this server read it",
                        Gap.trimmedBeforeRead("dlq", "1764108651123-7", null),
                        "2026-11-25T22:20:01.003Z",
                        "{\"type\":\"gap\",\"timestamp\":\"2026-11-25T22:20:01.003Z\",\"data\":{"
                                + "\"category\":\"dlq\",\"reason\":\"history-expired\",\"lastId\":\"1764108651123-7\","
                                + "\"continuesFrom\":\"1764108651123-7\"}}",
                        false),
                new Sample("gap of an overflow",
                        new OverflowGap("error-recovery", 12, "1764108651123-88", "1764108651123-99",
                                "1764108651123-87"),
                        "2026-11-25T22:21:13.517Z",
                        "{\"type\":\"gap\",\"timestamp\":\"2026-11-25T22:21:13.517Z\",\"data\":{"
                                + "\"category\":\"error-recovery\",\"reason\":\"overflow\",\"missed\":12,"
                                + "\"firstMissed\":\"1764108651123-88\",\"lastMissed\":\"1764108651123-99\","
                                + "\"resumeFrom\":\"1764108651123-87\"}}",
                        true),
                new Sample("gap of an overflow that dropped the category's first event",
                        new OverflowGap("dlq", 1, "1764108651123-1", "1764108651123-1", null),
                        "2026-11-25T22:21:13.517Z",
                        "{\"type\":\"gap\",\"timestamp\":\"2026-11-25T22:21:13.517Z\",\"data\":{"
                                + "\"category\":\"dlq\",\"reason\":\"overflow\",\"missed\":1,"
                                + "\"firstMissed\":\"1764108651123-1\",\"lastMissed\":\"1764108651123-1\","
                                + "\"resumeFrom\":null}}",
                        false),
                new Sample("stream-interrupted",
                        new StreamInterrupted(),
                        "2026-11-25T22:30:00.000Z",
                        "{\"type\":\"stream-interrupted\",\"timestamp\":\"2026-11-25T22:30:00.000Z\",\"data\":{"
                                + "\"reason\":\"broker-unavailable\"}}",
                        true),
                new Sample("stream-restored",
                        new StreamRestored(),
                        "2026-11-25T22:30:09.000Z",
                        "{\"type\":\"stream-restored\",\"timestamp\":\"2026-11-25T22:30:09.000Z\",\"data\":{}}",
                        true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("samples")
    @DisplayName("each notice encodes to its exact text: field order, nulls and left-out fields")
    void encodesExactly(Sample sample) {
        assertThat(new String(ServerMessages.encode(sample.message(), sample.timestamp()), UTF_8))
                .isEqualTo(sample.json());
    }

    @Test
    @DisplayName("docs/protocol.md shows every documented sample, field for field")
    void documented() throws Exception {
        ProtocolDoc doc = ProtocolDoc.read();
        List<JsonNode> examples = doc.examples();
        SoftAssertions softly = new SoftAssertions();
        for (Sample sample : samples()) {
            if (!sample.documented()) {
                continue;
            }
            JsonNode encoded = Json.MAPPER.readTree(ServerMessages.encode(sample.message(), sample.timestamp()));
            softly.assertThat(examples).as("%s shows %s (%s)", doc.path(), sample.json(), sample.name())
                    .anyMatch(example -> ProtocolDoc.shows(example, encoded));
        }
        softly.assertAll();
    }

    @Test
    @DisplayName("every kind of notice has samples, a documented one among them, and every message type but event a notice")
    void everyKindIsCovered() {
        Set<Class<?>> kinds = Set.of(ServerMessage.class.getPermittedSubclasses());
        List<Sample> samples = samples();
        assertThat(samples.stream().<Class<?>>map(s -> s.message().getClass()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(kinds);
        assertThat(samples.stream().filter(Sample::documented).<Class<?>>map(s -> s.message().getClass())
                .collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(kinds);
        // The event is encoded per event and spliced per recipient: EventEnvelope, tested on its own.
        assertThat(Stream.concat(samples.stream().map(s -> s.message().type()), Stream.of(MessageType.EVENT))
                .collect(Collectors.toSet())).containsExactlyInAnyOrderElementsOf(Arrays.asList(MessageType.values()));
    }

    @Test
    @DisplayName("a notice sent now carries the time in ISO-8601 UTC with milliseconds")
    void sentNow() throws Exception {
        JsonNode pong = Json.MAPPER.readTree(ServerMessages.encode(new Pong()));

        assertThat(pong.get("timestamp").textValue()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(new String(ServerMessages.error(ErrorCode.MISSING_TYPE, "Message has no \"type\" string"), UTF_8))
                .startsWith("{\"type\":\"error\",\"timestamp\":\"")
                .endsWith("\"data\":{\"error\":\"Message has no \\\"type\\\" string\",\"code\":\"missing-type\"}}");
    }

    @Test
    @DisplayName("notices the wire couldn't carry consistently are refused when built")
    void inconsistentNotices() {
        assertThatThrownBy(() -> new ErrorMessage(ErrorCode.EVENTS_DROPPED, "dropped"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("events-dropped is sent as EventsDropped, with the count");
        assertThatThrownBy(() -> new EventsDropped(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("count was 0 but must be >= 1");
        assertThatThrownBy(() -> new Gap("dlq", GapReason.OVERFLOW, "1-1", "1-2", 1L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an overflow is sent as OverflowGap, with the ids dropped");
        assertThatThrownBy(() -> new Resume("dlq", true, 3, GapReason.UNKNOWN_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a resume of dlq that succeeded must not have a reason, but had UNKNOWN_ID");
        assertThatThrownBy(() -> new Resume("dlq", false, 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a resume of dlq that failed must have a reason, but had null");
    }
}
