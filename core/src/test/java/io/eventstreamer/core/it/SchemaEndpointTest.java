package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.keys;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.internal.schema.EventSchemas;
import io.eventstreamer.core.internal.schema.JsonSchemaCheck;
import io.eventstreamer.core.internal.schema.TypeScriptDeclarations;
import io.eventstreamer.core.it.fixtures.FailingSource;
import io.eventstreamer.core.it.fixtures.TestAlphaSource;
import io.eventstreamer.core.it.fixtures.TestBetaSource;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * GET /api/schema: the JSON Schemas and TypeScript declarations of the host's sources, which a
 * plugin's category gets without any work of its own (core's test categories are plugins too).
 */
class SchemaEndpointTest {
    private static final List<EventCatalog> TEST_CATALOGS = List.of(new TestAlphaSource().catalog(),
            new TestBetaSource().catalog(), new FailingSource().catalog());

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("JSON Schemas of every category that isn't disabled, the failed one included, in the order of /api/sources")
    void jsonSchema() {
        hosts.start();

        HttpResponse<String> response = hosts.get("/api/schema");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        JsonNode body = HostExtension.json(response);
        assertThat(keys(body)).containsExactlyInAnyOrder("$schema", "title", "description", "envelope", "categories");
        assertThat(body.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(body.get("envelope")).isEqualTo(EventSchemas.envelope());
        assertThat(fieldNames(body.get("categories"))).containsExactlyElementsOf(hosts.host().sourceStates().keySet())
                .containsExactly(TestAlphaSource.CATEGORY, TestBetaSource.CATEGORY, FailingSource.CATEGORY);
        for (EventCatalog catalog : TEST_CATALOGS) {
            JsonNode types = body.get("categories").get(catalog.category());
            assertThat(fieldNames(types)).containsExactlyElementsOf(catalog.eventTypes().stream().map(EventType::name)
                    .toList());
            for (EventType type : catalog.eventTypes()) {
                assertThat(types.get(type.name())).isEqualTo(EventSchemas.data(catalog, type));
            }
        }
        assertThat(body.at("/categories/test-beta/beta-measured/properties/measuredAt"))
                .isEqualTo(Wire.json("{\"type\":\"string\",\"format\":\"date-time\",\"description\":\"When it was measured\"}"));
        assertThat(body.at("/categories/test-beta/beta-measured/required"))
                .isEqualTo(Wire.json("[\"value\",\"measuredAt\"]"));

        assertThat(hosts.get("/api/schema?format=json-schema").body()).isEqualTo(response.body());
    }

    @Test
    @DisplayName("?format=typescript: the declaration file of the same categories, as text/plain")
    void typescript() {
        hosts.start();

        HttpResponse<String> response = hosts.get("/api/schema?format=typescript");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo(TypeScriptDeclarations.render(TEST_CATALOGS))
                .contains("export type Category = 'test-alpha' | 'test-beta' | 'test-failing';",
                        "export interface TestAlphaAlphaHappenedEvent {",
                        "export type TestAlphaEvent =\n  | TestAlphaAlphaHappenedEvent\n"
                                + "  | TestAlphaAlphaStateChangedEvent\n  | TestAlphaAlphaFinishedEvent;",
                        "  'test-beta:beta-measured': TestBetaBetaMeasuredEvent;",
                        "    value: number;\n", "    tags?: unknown[] | null;\n");
    }

    @Test
    @DisplayName("open like /api/sources: an admin token or publish tokens don't guard it")
    void openLikeSources() {
        hosts.start("admin.token = \"admin-secret-0123456789\"", "publish.tokens = [\"publish-secret-0123456789\"]");

        assertThat(hosts.get("/api/admin/connections").statusCode()).as("guarded by the admin token").isEqualTo(401);
        assertThat(hosts.get("/api/sources").statusCode()).isEqualTo(200);
        assertThat(hosts.get("/api/schema").statusCode()).isEqualTo(200);
        assertThat(hosts.get("/api/schema?format=typescript").statusCode()).isEqualTo(200);
    }

    @Test
    @DisplayName("a category switched off with enabled = false is in neither format")
    void disabledCategoryIsLeftOut() {
        hosts.start("sources.test-beta.enabled = false");

        JsonNode schema = HostExtension.json(hosts.get("/api/schema"));
        String typescript = hosts.get("/api/schema?format=typescript").body();

        assertThat(fieldNames(schema.get("categories"))).containsExactly(TestAlphaSource.CATEGORY, FailingSource.CATEGORY);
        assertThat(typescript).doesNotContain("test-beta", "TestBeta");
    }

    @Test
    @DisplayName("an unknown or repeated format is 400 with a JSON error; another method is 405")
    void mistakes() throws IOException {
        hosts.start();

        HttpResponse<String> unknown = hosts.get("/api/schema?format=yaml");
        assertThat(unknown.statusCode()).isEqualTo(400);
        assertThat(unknown.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
        assertThat(HostExtension.json(unknown)).isEqualTo(Wire.json("{\"error\":\"Unknown format 'yaml'; use json-schema"
                + " or typescript\",\"code\":\"unknown-format\"}"));

        HttpResponse<String> twice = hosts.get("/api/schema?format=typescript&format=json-schema");
        assertThat(twice.statusCode()).isEqualTo(400);
        assertThat(HostExtension.json(twice).get("code").asText()).isEqualTo("unknown-format");

        HttpResponse<String> empty = hosts.get("/api/schema?format=");
        assertThat(empty.statusCode()).isEqualTo(400);
        assertThat(HostExtension.json(empty).get("code").asText()).isEqualTo("unknown-format");

        // The JDK's client won't send a malformed escape.
        String badEncoding = rawGet("/api/schema?format=%zz");
        assertThat(badEncoding).startsWith("HTTP/1.1 400 ").contains("\"code\":\"bad-request\"")
                .doesNotContain("Exception");

        HttpResponse<String> post = hosts.post("/api/schema", "{}");
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
        assertThat(HostExtension.json(post).get("code").asText()).isEqualTo("method-not-allowed");
    }

    @Test
    @DisplayName("events as clients receive them have exactly the envelope's fields and match their schemas")
    void receivedEventsMatchTheSchema() {
        hosts.start();
        JsonNode schema = HostExtension.json(hosts.get("/api/schema"));
        JsonNode envelope = schema.get("envelope");
        TestClient client = hosts.client();
        client.subscribed("schema-checker", TestAlphaSource.CATEGORY, TestBetaSource.CATEGORY);
        List<String> published = List.of(
                "{\"category\":\"test-alpha\",\"event\":\"alpha-happened\",\"data\":{\"name\":\"n\",\"count\":2.0,\"note\":null}}",
                "{\"category\":\"test-alpha\",\"event\":\"alpha-finished\",\"data\":{\"name\":\"n\",\"tenant\":\"t-1\"}}",
                "{\"category\":\"test-beta\",\"event\":\"beta-measured\",\"data\":{\"value\":-1.5e-3,"
                        + "\"measuredAt\":\"2026-01-01T00:00:00Z\",\"tags\":[],\"ok\":true}}");
        for (String body : published) {
            assertThat(hosts.post("/api/events", body).statusCode()).as(body).isEqualTo(202);
        }
        hosts.host().emitter(TestAlphaSource.CATEGORY).emit("alpha-state-changed", Map.of("name", "x", "state", "on"));

        List<JsonNode> events = new ArrayList<>(client.nextEvents(published.size() + 1));
        for (JsonNode event : events) {
            assertThat(keys(event)).as("%s", event)
                    .containsExactlyInAnyOrderElementsOf(fieldNames(envelope.get("properties")))
                    .containsExactlyInAnyOrderElementsOf(strings(envelope.get("required")));
            assertThat(JsonSchemaCheck.errors(envelope, event)).as("%s", event).isEmpty();
            JsonNode data = schema.get("categories").get(event.get("category").asText()).get(event.get("event").asText());
            assertThat(JsonSchemaCheck.errors(data, event.get("data"))).as("%s", event).isEmpty();
        }
        assertThat(events.get(3).get("clientId").asText()).isEqualTo("schema-checker");
    }

    private String rawGet(String target) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), hosts.host().port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
