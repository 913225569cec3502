package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What tests check about the JSON on the wire. */
final class Wire {
    /** ISO-8601 UTC with milliseconds, e.g. {@code 2026-11-25T22:10:51.123Z}. */
    static final String TIMESTAMP = "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z";

    private static final ObjectMapper JSON = new ObjectMapper();

    private Wire() {
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException("test JSON is malformed: " + text, e);
        }
    }

    static String toJson(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> keys(JsonNode node) {
        Set<String> keys = new LinkedHashSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    static List<String> strings(JsonNode array) {
        assertThat(array.isArray()).as("expected an array but got %s", array).isTrue();
        List<String> strings = new ArrayList<>();
        array.forEach(element -> strings.add(element.asText()));
        return strings;
    }

    static Map<String, Integer> counts(JsonNode object) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        object.fields().forEachRemaining(entry -> counts.put(entry.getKey(), entry.getValue().asInt()));
        return counts;
    }

    /** Asserts an ISO-8601 UTC timestamp with milliseconds that parses. */
    static void assertTimestamp(JsonNode timestamp) {
        assertThat(timestamp.isTextual()).as("timestamp %s is a string", timestamp).isTrue();
        assertThat(timestamp.asText()).matches(TIMESTAMP);
        assertThat(Instant.parse(timestamp.asText())).isNotNull();
    }

    /** Asserts {@code {"type":"error","timestamp":...,"data":{"error":...,"code":code,...}}}. */
    static void assertError(JsonNode message, String code) {
        assertThat(message.path("type").asText()).as("expected an error but got %s", message).isEqualTo("error");
        assertThat(keys(message)).containsExactlyInAnyOrder("type", "timestamp", "data");
        assertTimestamp(message.get("timestamp"));
        assertThat(message.path("data").path("code").asText()).as("error code of %s", message).isEqualTo(code);
        assertThat(message.path("data").path("error").asText()).as("error text of %s", message).isNotBlank();
    }

    /**
     * The sequence part of an event id. Ids are {@code <epoch>-<sequence>} (opaque to clients; the
     * tests look inside to check order within one host, whose epoch doesn't change).
     */
    static long id(JsonNode event) {
        JsonNode id = event.get("id");
        assertThat(id).as("id of %s", event).isNotNull();
        assertThat(id.isTextual()).as("id of %s is a string", event).isTrue();
        assertThat(id.asText()).as("id of %s", event).matches("\\d+-\\d+");
        return Long.parseLong(id.asText().substring(id.asText().indexOf('-') + 1));
    }
}
