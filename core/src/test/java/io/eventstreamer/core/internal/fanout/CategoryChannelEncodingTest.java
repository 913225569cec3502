package io.eventstreamer.core.internal.fanout;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.broker.MemoryBroker;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.EventEnvelope;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link CategoryChannel#prepareRaw} against {@link CategoryChannel#prepare}, byte for byte. */
class CategoryChannelEncodingTest {
    private static final String TIMESTAMP = "\"timestamp\":\"[^\"]*\"";

    private final CategoryChannel channel = new CategoryChannel(EventCatalog.builder("alpha")
            .add(EventType.builder("happened", "d").required("n", JsonType.INTEGER, "n").build())
            .add(EventType.builder("state-changed", "d").required("name", JsonType.STRING, "key")
                    .coalesceKey("name").build())
            .build(), Settings.from(ConfigFactory.empty()).category("alpha"), new MemoryBroker(1000L, () -> 0), () -> true);
    private final EventType happened = channel.catalog().eventType("happened").orElseThrow();
    private final EventType stateChanged = channel.catalog().eventType("state-changed").orElseThrow();

    @Test
    @DisplayName("data written compactly, as Jackson writes it, gives the same bytes as encoding the payload")
    void sameBytesAsTheGenerator() throws Exception {
        String data = "{\"n\":7,\"nested\":{\"list\":[1,2.50,\"three\",true,null,{}],\"empty\":[]},"
                + "\"text\":\"café ☃ \\\"quoted\\\" back\\\\slash\",\"big\":123456789012345678901234567890,"
                + "\"decimal\":0.1000000000000000055511151231257827}";
        Map<String, Object> payload = payload(data);
        byte[] source = ("{\"data\":" + data + "}").getBytes(UTF_8);

        CategoryChannel.Prepared raw = channel.prepareRaw(happened, payload, source, 8, source.length - 1);
        CategoryChannel.Prepared encoded = channel.prepare(happened, payload);

        assertThat(withoutTimestamp(raw)).isEqualTo(withoutTimestamp(encoded));
        assertThat(text(raw)).startsWith("{\"type\":\"event\",\"event\":\"happened\",\"category\":\"alpha\",\"data\":"
                + data + ",\"timestamp\":\"").matches(".*,\"timestamp\":\"\\d{4}-\\d\\d-\\d\\dT[0-9:.]{12}Z\"$");
    }

    @Test
    @DisplayName("the data's whitespace, escapes and number spelling are copied as the publisher wrote them")
    void copiedAsWritten() throws Exception {
        String data = "{ \"n\" : 1E+2 ,\n\t\"s\":\"\\u0041\\/\" , \"x\": [ 1 , 2 ] }";
        byte[] source = ("[{\"data\":" + data + "}]").getBytes(UTF_8);

        CategoryChannel.Prepared raw = channel.prepareRaw(happened, payload(data), source, 9, source.length - 2);

        assertThat(text(raw)).contains(",\"data\":" + data + ",\"timestamp\":\"");
    }

    @Test
    @DisplayName("the coalescing key is the payload's, as when encoding the payload")
    void coalesceKey() throws Exception {
        String data = "{\"name\":\"breaker-1\"}";
        byte[] source = data.getBytes(UTF_8);

        CategoryChannel.Prepared raw = channel.prepareRaw(stateChanged, payload(data), source, 0, source.length);

        assertThat(raw.coalesceKey()).isEqualTo("breaker-1")
                .isEqualTo(channel.prepare(stateChanged, payload(data)).coalesceKey());
        assertThat(channel.prepareRaw(happened, payload("{\"n\":1}"), "{\"n\":1}".getBytes(UTF_8), 0, 7).coalesceKey())
                .isNull();
    }

    @Test
    @DisplayName("data whose offsets are unknown is encoded from the payload")
    void fallsBackToEncoding() throws Exception {
        Map<String, Object> payload = payload("{\"n\":1,\"s\":\"A\"}");

        assertThat(withoutTimestamp(channel.prepareRaw(happened, payload, new byte[0], -1, -1)))
                .isEqualTo(withoutTimestamp(channel.prepare(happened, payload)))
                .contains("\"data\":{\"n\":1,\"s\":\"A\"}");
    }

    @Test
    @DisplayName("the channel writes the protocol package's event envelope, byte for byte")
    void sameBytesAsTheProtocolPackage() throws Exception {
        String data = "{\"n\":7,\"s\":\"caf\u00e9\"}";
        Map<String, Object> payload = payload(data);
        byte[] source = data.getBytes(UTF_8);
        String timestamp = "\"timestamp\":\"T\"";

        String expected = new String(EventEnvelope.body("happened", "alpha", payload, "T"), UTF_8);

        assertThat(withoutTimestamp(channel.prepare(happened, payload))).isEqualTo(expected);
        assertThat(withoutTimestamp(channel.prepareRaw(happened, payload, source, 0, source.length)))
                .isEqualTo(expected).endsWith(timestamp);
        assertThat(new String(EventEnvelope.body(EventEnvelope.start("happened", "alpha"), source, 0, source.length,
                "T"), UTF_8)).isEqualTo(expected);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> payload(String data) throws Exception {
        return (Map<String, Object>) Json.MAPPER.readValue(data, Object.class);
    }

    private static String text(CategoryChannel.Prepared prepared) {
        return new String(prepared.body(), UTF_8);
    }

    private static String withoutTimestamp(CategoryChannel.Prepared prepared) {
        return text(prepared).replaceFirst(TIMESTAMP, "\"timestamp\":\"T\"");
    }
}
