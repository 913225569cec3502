package io.eventstreamer.core.internal.schema;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import io.eventstreamer.spi.JsonType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random {@code data} objects for an event type, as JSON text: ones its catalog accepts, and
 * mutations of them that it may refuse. Numbers are spelled in every way JSON allows
 * ({@code 2}, {@code 2.0}, {@code 2e0}, {@code -0}, 30 digits), because whether a number is an
 * integer is where a schema and a hand-written check most easily part.
 */
public final class CatalogPayloads {
    private static final String[] WHOLE = {"0", "-0", "1", "-17", "42", "2147483648", "-9223372036854775809",
        "123456789012345678901234567890", "1.0", "-3.000", "2e0", "1E+2", "1.5e1", "0.0", "1e400", "0e-5"};
    private static final String[] FRACTION = {"0.5", "-2.25", "1.5", "1e-3", "3.14159", "1.0000000000000000001",
        "-1E-400", "12345678901234567890.5"};
    private static final String[] STRINGS = {"", "a", "scheduler", "2026-03-01T10:15:30.123Z", "not a date",
        "with \"quotes\" and \\ backslash", "line\nbreak", "ünïcødé ✓", "\u0000", "😀", "null", "1", "true"};

    private CatalogPayloads() {
    }

    /**
     * A payload that {@code type}'s catalog accepts: every required field with a value of its type,
     * each optional field absent, null or of its type, and sometimes fields it doesn't declare.
     */
    public static String valid(EventType type, Random random) {
        List<String> members = new ArrayList<>();
        for (FieldSpec field : type.fields()) {
            if (field.required()) {
                members.add(member(field.name(), value(field.type(), random, 0)));
            } else {
                int choice = random.nextInt(3);
                if (choice == 1) {
                    members.add(member(field.name(), "null"));
                } else if (choice == 2) {
                    members.add(member(field.name(), value(field.type(), random, 0)));
                }
            }
        }
        addExtras(type, members, random);
        return shuffledObject(members, random);
    }

    /**
     * A valid payload with one declared field (sometimes two) spoiled: left out, null, a near miss
     * of its type (a fraction for an integer, a quoted number for a number, an array for an
     * object...) or a value of any type. The catalog may or may not accept it: an optional field
     * may be left out or null, and a near miss may still be of the type.
     */
    public static String mutated(EventType type, Random random) {
        Map<String, String> values = new LinkedHashMap<>();
        for (FieldSpec field : type.fields()) {
            if (field.required() || random.nextBoolean()) {
                values.put(field.name(), value(field.type(), random, 0));
            }
        }
        List<FieldSpec> fields = type.fields();
        int spoiled = fields.isEmpty() ? 0 : 1 + (random.nextInt(4) == 0 ? 1 : 0);
        for (int i = 0; i < spoiled; i++) {
            FieldSpec field = fields.get(random.nextInt(fields.size()));
            switch (random.nextInt(6)) {
                case 0:
                    values.remove(field.name());
                    break;
                case 1:
                    values.put(field.name(), "null");
                    break;
                case 2:
                    values.put(field.name(), anyValue(random, 0));
                    break;
                default:
                    values.put(field.name(), nearMiss(field.type(), random));
                    break;
            }
        }
        List<String> members = new ArrayList<>();
        values.forEach((name, value) -> members.add(member(name, value)));
        addExtras(type, members, random);
        return shuffledObject(members, random);
    }

    /** A value that a careless check might take for one of {@code type}, mostly of another type. */
    static String nearMiss(JsonType type, Random random) {
        switch (type) {
            case STRING:
                return pick(new String[] {"1", "true", "[\"a\"]", "{\"a\":\"b\"}"}, random);
            case INTEGER:
                return pick(new String[] {"1.5", "1e-3", "1.0000000000000000001", "-0.5", "\"1\"", "1e1"}, random);
            case NUMBER:
                return pick(new String[] {"\"1.5\"", "\"NaN\"", "true", "[1]", "2.5e-7"}, random);
            case BOOLEAN:
                return pick(new String[] {"\"true\"", "0", "1", "[]", "false"}, random);
            case OBJECT:
                return pick(new String[] {"[]", "\"{}\"", "[{}]", "{\"a\":null}"}, random);
            case ARRAY:
                return pick(new String[] {"{}", "\"[]\"", "{\"0\":1}", "[[]]"}, random);
            default:
                throw new AssertionError(type);
        }
    }

    /** A value of {@code type} as JSON text. */
    public static String value(JsonType type, Random random, int depth) {
        switch (type) {
            case STRING:
                return quote(random.nextInt(4) == 0 ? randomString(random) : pick(STRINGS, random));
            case INTEGER:
                return pick(WHOLE, random);
            case NUMBER:
                return random.nextBoolean() ? pick(WHOLE, random) : pick(FRACTION, random);
            case BOOLEAN:
                return random.nextBoolean() ? "true" : "false";
            case OBJECT:
                return object(random, depth);
            case ARRAY:
                return array(random, depth);
            default:
                throw new AssertionError(type);
        }
    }

    /** A value of any JSON type, null included. */
    public static String anyValue(Random random, int depth) {
        int choice = random.nextInt(JsonType.values().length + 1);
        if (choice == JsonType.values().length) {
            return "null";
        }
        return value(JsonType.values()[choice], random, depth);
    }

    public static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    private static void addExtras(EventType type, List<String> members, Random random) {
        int extras = random.nextInt(3);
        for (int i = 0; i < extras; i++) {
            String name = "extra" + i + (random.nextBoolean() ? "" : " " + randomString(random));
            if (type.field(name).isEmpty()) {
                members.add(member(name, anyValue(random, 0)));
            }
        }
    }

    private static String object(Random random, int depth) {
        List<String> members = new ArrayList<>();
        int size = depth > 2 ? 0 : random.nextInt(3);
        for (int i = 0; i < size; i++) {
            members.add(member("k" + i, anyValue(random, depth + 1)));
        }
        return "{" + String.join(",", members) + "}";
    }

    private static String array(Random random, int depth) {
        List<String> items = new ArrayList<>();
        int size = depth > 2 ? 0 : random.nextInt(3);
        for (int i = 0; i < size; i++) {
            items.add(anyValue(random, depth + 1));
        }
        return "[" + String.join(",", items) + "]";
    }

    private static String member(String name, String value) {
        return quote(name) + ":" + value;
    }

    private static String shuffledObject(List<String> members, Random random) {
        Collections.shuffle(members, random);
        return "{" + String.join(",", members) + "}";
    }

    private static String randomString(Random random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(6);
        for (int i = 0; i < length; i++) {
            s.appendCodePoint(random.nextBoolean() ? 0x20 + random.nextInt(0x5f) : 0xa0 + random.nextInt(0x2000));
        }
        return s.toString();
    }

    private static String pick(String[] values, Random random) {
        return values[random.nextInt(values.length)];
    }
}
