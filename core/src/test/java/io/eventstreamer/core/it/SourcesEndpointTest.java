package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static io.eventstreamer.core.it.Wire.counts;
import static io.eventstreamer.core.it.Wire.json;
import static io.eventstreamer.core.it.Wire.keys;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.fixtures.FailingSource;
import io.eventstreamer.core.it.fixtures.TestAlphaSource;
import io.eventstreamer.core.it.fixtures.TestBetaSource;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /api/sources, including a source that failed to start and one that is disabled. */
class SourcesEndpointTest {
    private static final String ALPHA_TYPES = "["
            + "{\"name\":\"alpha-happened\",\"description\":\"Something happened in alpha\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\",\"required\":true},"
            + "{\"name\":\"count\",\"type\":\"integer\",\"required\":true},"
            + "{\"name\":\"note\",\"type\":\"string\",\"required\":false}]},"
            + "{\"name\":\"alpha-state-changed\",\"description\":\"The state of a named thing changed\","
            + "\"key\":\"name\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\",\"required\":true},"
            + "{\"name\":\"state\",\"type\":\"string\",\"required\":true},"
            + "{\"name\":\"padding\",\"type\":\"string\",\"required\":false}]},"
            + "{\"name\":\"alpha-finished\",\"description\":\"Something finished in alpha\",\"fields\":["
            + "{\"name\":\"name\",\"type\":\"string\",\"required\":true},"
            + "{\"name\":\"finishedAt\",\"type\":\"string\",\"format\":\"date-time\",\"required\":false}]}]";
    private static final String BETA_TYPES = "["
            + "{\"name\":\"beta-measured\",\"description\":\"A value was measured\",\"fields\":["
            + "{\"name\":\"value\",\"type\":\"number\",\"required\":true},"
            + "{\"name\":\"measuredAt\",\"type\":\"string\",\"format\":\"date-time\",\"required\":true},"
            + "{\"name\":\"tags\",\"type\":\"array\",\"required\":false},"
            + "{\"name\":\"ok\",\"type\":\"boolean\",\"required\":false}]}]";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("running sources are listed with their catalogs in JSON Schema terms; the failed one with its error")
    void sources() {
        hosts.start();

        HttpResponse<String> response = hosts.get("/api/sources");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = HostExtension.json(response);
        assertThat(keys(body)).containsExactly("sources");
        Map<String, JsonNode> sources = byCategory(body);
        assertThat(sources).containsKeys(TestAlphaSource.CATEGORY, TestBetaSource.CATEGORY, FailingSource.CATEGORY);

        JsonNode alpha = sources.get(TestAlphaSource.CATEGORY);
        assertThat(keys(alpha)).containsExactlyInAnyOrder("category", "state", "eventTypes");
        assertThat(alpha.get("state").asText()).isEqualTo("running");
        assertThat(withoutFieldDescriptions(alpha.get("eventTypes"), new TestAlphaSource().catalog().eventTypes()))
                .isEqualTo(json(ALPHA_TYPES));

        JsonNode beta = sources.get(TestBetaSource.CATEGORY);
        assertThat(beta.get("state").asText()).isEqualTo("running");
        assertThat(withoutFieldDescriptions(beta.get("eventTypes"), new TestBetaSource().catalog().eventTypes()))
                .isEqualTo(json(BETA_TYPES));

        JsonNode failing = sources.get(FailingSource.CATEGORY);
        assertThat(keys(failing)).contains("category", "state", "error")
                .isSubsetOf("category", "state", "error", "eventTypes");
        assertThat(failing.get("state").asText()).isEqualTo("failed");
        assertThat(failing.get("error").asText()).contains(FailingSource.FAILURE_MESSAGE);
    }

    @Test
    @DisplayName("a source switched off with sources.<category>.enabled = false is listed as disabled and not served")
    void disabledSource() {
        EventStreamer host = hosts.start("sources.test-beta.enabled = false");

        Map<String, JsonNode> sources = byCategory(HostExtension.json(hosts.get("/api/sources")));

        JsonNode beta = sources.get(TestBetaSource.CATEGORY);
        assertThat(beta).as("test-beta in %s", sources.keySet()).isNotNull();
        assertThat(beta.get("state").asText()).isEqualTo("disabled");
        assertThat(keys(beta)).contains("category", "state").doesNotContain("error");
        assertThat(sources.get(TestAlphaSource.CATEGORY).get("state").asText()).isEqualTo("running");

        assertThat(host.categories()).contains(TestAlphaSource.CATEGORY).doesNotContain(TestBetaSource.CATEGORY);
        assertThat(counts(hosts.status().get("subscriptions"))).doesNotContainKey(TestBetaSource.CATEGORY);
        assertThatThrownBy(() -> host.emitter(TestBetaSource.CATEGORY)).isInstanceOf(IllegalArgumentException.class);

        TestClient client = hosts.client();
        assertError(client.subscribe("c", TestBetaSource.CATEGORY), "unknown-category");
        HttpResponse<String> publish = hosts.post("/api/events",
                "{\"category\":\"test-beta\",\"event\":\"beta-measured\",\"data\":{\"value\":1,\"measuredAt\":\"2026-01-01T00:00:00Z\"}}");
        assertThat(publish.statusCode()).isEqualTo(400);
        assertThat(HostExtension.json(publish).get("code").asText()).isEqualTo("unknown-category");
    }

    private static Map<String, JsonNode> byCategory(JsonNode body) {
        assertThat(body.get("sources").isArray()).isTrue();
        Map<String, JsonNode> byCategory = new HashMap<>();
        for (JsonNode source : body.get("sources")) {
            assertThat(byCategory.put(source.get("category").asText(), source)).as("listed once: %s", source).isNull();
        }
        return byCategory;
    }

    /**
     * The shape has no field descriptions; a host may add them. When present, they must be
     * the declared ones; they are then removed so that the rest compares exactly.
     */
    private static JsonNode withoutFieldDescriptions(JsonNode eventTypes, List<EventType> declared) {
        JsonNode copy = eventTypes.deepCopy();
        assertThat(copy.size()).isEqualTo(declared.size());
        for (int t = 0; t < copy.size(); t++) {
            JsonNode fields = copy.get(t).get("fields");
            for (int f = 0; f < fields.size(); f++) {
                ObjectNode field = (ObjectNode) fields.get(f);
                if (field.has("description")) {
                    FieldSpec spec = declared.get(t).fields().get(f);
                    assertThat(field.get("description").asText()).isEqualTo(spec.description());
                    field.remove("description");
                }
            }
        }
        return copy;
    }
}
