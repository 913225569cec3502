package io.eventstreamer.core.internal.schema;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import io.eventstreamer.spi.InvalidEventException;
import io.eventstreamer.spi.JsonType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * The JSON Schemas generated from a catalog, and their agreement with the catalog's own check
 * (which publishing uses): for random catalogs and random payloads, the schema accepts exactly
 * what {@link EventCatalog#validate} accepts.
 */
class EventSchemasTest {
    private static final EventCatalog BILLING = EventCatalog.builder("billing")
            .add(EventType.builder("invoice-paid", "An invoice was paid")
                    .required("invoiceId", JsonType.STRING, "Id of the invoice")
                    .required("amountCents", JsonType.INTEGER, "")
                    .optionalTimestamp("paidAt", "When it was paid")
                    .optional("lines", JsonType.ARRAY, "The invoice lines")
                    .build())
            .build();

    @Example
    void dataSchemaOfAnEventType() {
        JsonNode schema = EventSchemas.data(BILLING, BILLING.eventTypes().get(0));

        assertThat(schema).isEqualTo(JsonSchemaCheck.parse("{"
                + "\"title\":\"billing:invoice-paid\",\"description\":\"An invoice was paid\",\"type\":\"object\","
                + "\"properties\":{"
                + "\"invoiceId\":{\"type\":\"string\",\"description\":\"Id of the invoice\"},"
                + "\"amountCents\":{\"type\":\"integer\"},"
                + "\"paidAt\":{\"type\":[\"string\",\"null\"],\"format\":\"date-time\",\"description\":\"When it was paid\"},"
                + "\"lines\":{\"type\":[\"array\",\"null\"],\"description\":\"The invoice lines\"}},"
                + "\"required\":[\"invoiceId\",\"amountCents\"],\"additionalProperties\":true}"));
    }

    @Example
    void documentHasTheDialectTheEnvelopeAndEveryCategoryInOrder() {
        EventCatalog other = EventCatalog.builder("a-first")
                .add(EventType.builder("z", "Z").build())
                .add(EventType.builder("y", "Y").build())
                .build();

        JsonNode document = EventSchemas.document(List.of(BILLING, other));

        assertThat(document.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(document.get("envelope")).isEqualTo(EventSchemas.envelope());
        assertThat(fieldNames(document.get("categories"))).containsExactly("billing", "a-first");
        assertThat(fieldNames(document.get("categories").get("a-first"))).containsExactly("z", "y");
        assertThat(document.at("/categories/billing/invoice-paid"))
                .isEqualTo(EventSchemas.data(BILLING, BILLING.eventTypes().get(0)));
    }

    @Example
    void envelopeRequiresEveryFieldTheServerWrites() {
        JsonNode envelope = EventSchemas.envelope();
        String event = "{\"type\":\"event\",\"event\":\"invoice-paid\",\"category\":\"billing\",\"data\":{},"
                + "\"timestamp\":\"2026-11-25T22:10:51.123Z\",\"id\":\"17\",\"clientId\":\"c\"}";

        assertThat(JsonSchemaCheck.errors(envelope, event)).isEmpty();
        for (String field : List.of("type", "event", "category", "data", "timestamp", "id", "clientId")) {
            JsonNode without = JsonSchemaCheck.parse(event);
            ((com.fasterxml.jackson.databind.node.ObjectNode) without).remove(field);
            assertThat(JsonSchemaCheck.errors(envelope, without)).as("without %s", field).isNotEmpty();
        }
        assertThat(JsonSchemaCheck.errors(envelope, event.replace("\"type\":\"event\"", "\"type\":\"gap\"")))
                .isNotEmpty();
        assertThat(JsonSchemaCheck.errors(envelope, event.replace("\"data\":{}", "\"data\":[]"))).isNotEmpty();
    }

    @Example
    void noCatalogsGiveAnEmptyCategoriesObject() {
        assertThat(EventSchemas.document(List.of()).get("categories").size()).isZero();
    }

    /**
     * Random event types (any field names, every JSON type, required or not, with or without a
     * format) and random payloads: valid ones must pass both checks, and for mutated ones the
     * schema's verdict must be the catalog's. The coverage check makes sure that each way of being
     * refused did occur, so that the property can't pass by generating only easy cases.
     */
    @Property(tries = 1500, seed = "20261125")
    void schemaAcceptsWhatTheCatalogAccepts(@ForAll("eventTypes") EventType type, @ForAll("seeds") long seed,
            @ForAll boolean valid) {
        EventCatalog catalog = EventCatalog.builder("random").add(type).build();
        Random random = new Random(seed);
        String payload = valid ? CatalogPayloads.valid(type, random) : CatalogPayloads.mutated(type, random);

        String refusal = refusal(catalog, type, payload);
        List<String> errors = JsonSchemaCheck.errors(EventSchemas.data(catalog, type), payload);

        if (valid) {
            assertThat(refusal).as("catalog's verdict on a valid payload %s for %s", payload, type).isNull();
        }
        assertThat(errors).as("schema's errors for %s, which the catalog %s; type %s", payload,
                refusal == null ? "accepts" : "refuses (" + refusal + ")", type)
                .matches(e -> e.isEmpty() == (refusal == null));
        Statistics.label("verdict").collect(refusal == null ? "accepted" : refusal);
        Statistics.label("verdict").coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p > 30);
            coverage.check(InvalidEventException.Reason.MISSING_FIELD.code()).count(c -> c > 50);
            coverage.check(InvalidEventException.Reason.WRONG_FIELD_TYPE.code()).count(c -> c > 50);
        });
    }

    /** The code of the catalog's refusal of a payload read as publishing reads it, or null. */
    private static String refusal(EventCatalog catalog, EventType type, String payload) {
        Map<String, Object> data;
        try {
            data = Json.MAPPER.readValue(payload, new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("generated payload is not JSON: " + payload, e);
        }
        try {
            catalog.validate(type.name(), data);
            return null;
        } catch (InvalidEventException e) {
            return e.reason().code();
        }
    }

    @Provide
    Arbitrary<EventType> eventTypes() {
        Arbitrary<String> names = Arbitraries.oneOf(
                Arbitraries.strings().all().ofMinLength(1).ofMaxLength(10).filter(s -> !s.isBlank()),
                Arbitraries.of("id", "name", "count", "value", "tags", "extra0", "__proto__", "a b", "\"quoted\""));
        Arbitrary<FieldSpec> fields = Combinators.combine(names, Arbitraries.of(JsonType.class),
                Arbitraries.of(true, false), Arbitraries.of("", "date-time", "uri", "email"))
                .as((name, type, required, format) -> {
                    FieldSpec field = required ? FieldSpec.required(name, type, "d") : FieldSpec.optional(name, type, "d");
                    return format.isEmpty() ? field : field.withFormat(format);
                });
        return fields.list().ofMaxSize(6).uniqueElements(FieldSpec::name).map(list -> {
            EventType.Builder builder = EventType.builder("random-event", "Random");
            list.forEach(builder::field);
            return builder.build();
        });
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
