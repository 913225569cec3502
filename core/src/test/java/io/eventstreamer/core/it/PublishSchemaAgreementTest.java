package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.internal.schema.CatalogPayloads;
import io.eventstreamer.core.internal.schema.JsonSchemaCheck;
import io.eventstreamer.core.it.fixtures.TestAlphaSource;
import io.eventstreamer.core.it.fixtures.TestBetaSource;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Publish validation and the schema are one source of truth: random payloads for core's test
 * categories, catalog-valid ones and mutations of them, are published with {@code POST /api/events}
 * to a real host, and validated with networknt's draft 2020-12 validator against the data schema
 * that the same host's {@code GET /api/schema} serves. The host accepts (202) exactly the payloads
 * that the schema accepts, and refuses (400) exactly those that it refuses.
 */
class PublishSchemaAgreementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private static EventStreamer host;
    private static JsonNode schema;

    @BeforeContainer
    static void startHost() throws Exception {
        host = EventStreamer.start(HostExtension.config());
        schema = JSON.readTree(get("api/schema").body());
    }

    @AfterContainer
    static void stopHost() {
        host.stop();
    }

    @Property(tries = 400, seed = "20261125")
    void hostAcceptsWhatTheSchemaAccepts(@ForAll("publishable") Publishable event, @ForAll("seeds") long seed,
            @ForAll boolean valid) throws Exception {
        Random random = new Random(seed);
        String data = valid ? CatalogPayloads.valid(event.type, random) : CatalogPayloads.mutated(event.type, random);
        String body = "{\"category\":\"" + event.catalog.category() + "\",\"event\":\"" + event.type.name()
                + "\",\"data\":" + data + "}";

        HttpResponse<String> response = post(body);
        JsonNode dataSchema = schema.get("categories").get(event.catalog.category()).get(event.type.name());
        List<String> errors = JsonSchemaCheck.errors(dataSchema, data);

        assertThat(response.statusCode()).as("%s -> %s", body, response.body()).isIn(202, 400);
        if (valid) {
            assertThat(response.statusCode()).as("catalog-valid %s -> %s", body, response.body()).isEqualTo(202);
        }
        String verdict = response.statusCode() == 202 ? "accepted" : JSON.readTree(response.body()).get("code").asText();
        assertThat(errors).as("schema's errors for %s, which the host answered %s", body, response.body())
                .matches(e -> e.isEmpty() == (response.statusCode() == 202));
        Statistics.label("verdict").collect(verdict);
        Statistics.label("verdict").coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p > 30);
            coverage.check("missing-field").count(c -> c > 20);
            coverage.check("wrong-field-type").count(c -> c > 20);
        });
    }

    @Provide
    Arbitrary<Publishable> publishable() {
        List<Publishable> all = new ArrayList<>();
        for (EventCatalog catalog : List.of(new TestAlphaSource().catalog(), new TestBetaSource().catalog())) {
            for (EventType type : catalog.eventTypes()) {
                all.add(new Publishable(catalog, type));
            }
        }
        return Arbitraries.of(all);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(host.httpUri().resolve("api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(host.httpUri().resolve(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** An event type of a category the host serves. */
    static final class Publishable {
        final EventCatalog catalog;
        final EventType type;

        Publishable(EventCatalog catalog, EventType type) {
            this.catalog = catalog;
            this.type = type;
        }

        @Override
        public String toString() {
            return catalog.category() + ":" + type.name();
        }
    }
}
