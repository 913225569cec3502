package io.eventstreamer.spi.testkit;

import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds payloads with a plausible value for each declared field, so that the kit can probe a catalog. */
final class SamplePayloads {
    private SamplePayloads() {
    }

    /** A payload with every required field of {@code type} set, and nothing else. */
    static Map<String, Object> requiredFieldsOf(EventType type) {
        Map<String, Object> payload = new LinkedHashMap<>();
        for (FieldSpec field : type.fields()) {
            if (field.required()) {
                payload.put(field.name(), sampleValue(field));
            }
        }
        return payload;
    }

    static Object sampleValue(FieldSpec field) {
        switch (field.type()) {
            case STRING:
                return sampleString(field.format().orElse(""));
            case INTEGER:
                return 1;
            case NUMBER:
                return 1.5;
            case BOOLEAN:
                return Boolean.TRUE;
            case OBJECT:
                return Map.of("key", "value");
            case ARRAY:
                return List.of("item");
            default:
                throw new AssertionError(field.type());
        }
    }

    private static String sampleString(String format) {
        switch (format) {
            case "date-time":
                return "2026-01-01T10:00:00.000Z";
            case "uri":
                return "https://hooks.example.com/events";
            default:
                return "sample";
        }
    }
}
