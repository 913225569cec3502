package io.eventstreamer.spi;

import java.util.List;
import java.util.Map;

/**
 * The JSON Schema type of a payload field.
 *
 * <p>The wire name ({@link #jsonName()}) is what {@code GET /api/sources} reports, so that tools
 * can build valid payloads from a source's catalog.
 */
public enum JsonType {
    STRING("string"),
    INTEGER("integer"),
    NUMBER("number"),
    BOOLEAN("boolean"),
    OBJECT("object"),
    ARRAY("array");

    private final String jsonName;

    JsonType(String jsonName) {
        this.jsonName = jsonName;
    }

    /** The JSON Schema name of this type, e.g. {@code "string"}. */
    public String jsonName() {
        return jsonName;
    }

    /**
     * Whether a Java value, as produced by a JSON parser or passed by an in-process caller, is of
     * this type. {@code null} is never of any type.
     *
     * <p>Strings are {@link CharSequence}s; integers are whole {@link Number}s; numbers are any
     * {@link Number}; objects are {@link Map}s; arrays are {@link List}s or Java arrays.
     */
    public boolean accepts(Object value) {
        if (value == null) {
            return false;
        }
        switch (this) {
            case STRING:
                return value instanceof CharSequence;
            case INTEGER:
                return isWholeNumber(value);
            case NUMBER:
                return value instanceof Number;
            case BOOLEAN:
                return value instanceof Boolean;
            case OBJECT:
                return value instanceof Map;
            case ARRAY:
                return value instanceof List || value.getClass().isArray();
            default:
                throw new AssertionError(this);
        }
    }

    /** The JSON type of a value, for error messages; {@code "null"} for null. */
    public static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        for (JsonType type : new JsonType[] {STRING, INTEGER, NUMBER, BOOLEAN, OBJECT, ARRAY}) {
            if (type.accepts(value)) {
                return type.jsonName;
            }
        }
        return "unsupported value of " + value.getClass().getSimpleName();
    }

    private static boolean isWholeNumber(Object value) {
        if (value instanceof Byte || value instanceof Short || value instanceof Integer
                || value instanceof Long || value instanceof java.math.BigInteger) {
            return true;
        }
        if (value instanceof java.math.BigDecimal) {
            java.math.BigDecimal decimal = (java.math.BigDecimal) value;
            return decimal.signum() == 0 || decimal.scale() <= 0
                    || decimal.stripTrailingZeros().scale() <= 0;
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            return !Double.isInfinite(d) && d == Math.rint(d);
        }
        return false;
    }
}
