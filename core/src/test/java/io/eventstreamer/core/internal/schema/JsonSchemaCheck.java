package io.eventstreamer.core.internal.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Validates JSON against the generated schemas with a real draft 2020-12 validator (networknt's),
 * independent of the host's own checks. Formats are annotations, as draft 2020-12 has them by
 * default.
 *
 * <p>Numbers are read as {@code BigDecimal}s, as the host reads a published body, so that a
 * number's value is the same on both sides (a double would round {@code 1.0000000000000000001}
 * to a whole number).
 */
public final class JsonSchemaCheck {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<JsonNode, Schema> SCHEMAS = new ConcurrentHashMap<>();

    private JsonSchemaCheck() {
    }

    /** The validator's complaints about {@code instance}, one line each; empty when it is valid. */
    public static List<String> errors(JsonNode schema, JsonNode instance) {
        List<Error> errors = SCHEMAS.computeIfAbsent(schema, REGISTRY::getSchema).validate(instance);
        return errors.stream().map(Error::toString).collect(Collectors.toList());
    }

    /** {@link #errors} of JSON text. */
    public static List<String> errors(JsonNode schema, String instance) {
        return errors(schema, parse(instance));
    }

    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }
}
