package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.eventstreamer.core.internal.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code POST /api/events} read in one streaming pass: for each element, its
 * {@code category}, {@code event} and {@code data}, and where the data object's bytes are in the
 * body, so that they can be delivered as they came instead of being written again.
 *
 * <p>The whole body is read before anything is checked, so that a body that is not JSON is refused
 * as such whatever else is wrong with it. Nothing is judged here beyond JSON: {@link PublishHandler}
 * checks the elements.
 */
public final class PublishBody {
    /**
     * {@link Json#MAPPER}'s parser settings (nesting and number limits) without Jackson's own
     * duplicate-key check, which keeps a hash set per object of more than two keys: this class
     * refuses duplicate keys itself, for the price of the maps it builds anyway.
     */
    private static final JsonFactory FACTORY = Json.MAPPER.getFactory().rebuild()
            .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final boolean array;
    private final List<Element> elements;

    private PublishBody(boolean array, List<Element> elements) {
        this.array = array;
        this.elements = elements;
    }

    /** Whether the body is a JSON array (a batch), as opposed to a single value. */
    boolean isArray() {
        return array;
    }

    /** The body's value, or the array's elements, in order. */
    public List<Element> elements() {
        return elements;
    }

    /**
     * Parses a body with {@link Json#MAPPER}'s parser settings (nesting and number limits), refusing
     * duplicate keys in any object and anything after the top-level value, as parsing the body into
     * a value with that mapper did.
     *
     * @throws com.fasterxml.jackson.core.JacksonException when the body is not one JSON value
     */
    public static PublishBody parse(byte[] body) throws IOException {
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonParseException(parser, "no JSON value in the body");
            }
            List<Element> elements = new ArrayList<>();
            // The keys of the element being read, emptied for each one.
            KeySet keys = new KeySet();
            boolean array = first == JsonToken.START_ARRAY;
            if (array) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(readElement(parser, keys));
                }
            } else {
                elements.add(readElement(parser, keys));
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "content after the top-level value");
            }
            return new PublishBody(array, elements);
        }
    }

    /** Reads the value at the parser's current token, leaving the parser on its last token (or none). */
    private static Element readElement(JsonParser parser, KeySet keys) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            skipValue(parser);
            return Element.NOT_AN_OBJECT;
        }
        Element element = new Element();
        keys.clear();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            keys.add(field, parser);
            JsonToken value = parser.nextToken();
            if (field.equals("category") && value == JsonToken.VALUE_STRING) {
                element.category = parser.getText();
            } else if (field.equals("event") && value == JsonToken.VALUE_STRING) {
                element.eventType = parser.getText();
            } else if (field.equals("data") && value == JsonToken.START_OBJECT) {
                element.dataStart = (int) parser.currentTokenLocation().getByteOffset();
                element.data = readObject(parser);
                element.dataEnd = (int) parser.currentLocation().getByteOffset();
            } else {
                if (field.equals("event") && value != JsonToken.VALUE_NULL) {
                    element.eventTypeIsString = false;
                }
                skipValue(parser);
            }
        }
        return element;
    }

    /**
     * Reads the object at the parser's current token into the values Jackson's untyped reading
     * gives ({@link Json#MAPPER} reading {@code Object.class}): insertion-ordered maps, lists,
     * strings, {@code Integer}/{@code Long}/{@code BigInteger}, {@code BigDecimal} for fractions,
     * booleans and nulls. Leaves the parser on the object's last token.
     */
    private static Map<String, Object> readObject(JsonParser parser) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            int size = map.size();
            map.put(name, readValue(parser));
            if (map.size() == size) {
                throw duplicate(parser, name);
            }
        }
        return map;
    }

    private static Object readValue(JsonParser parser) throws IOException {
        switch (parser.currentToken()) {
            case START_OBJECT:
                return readObject(parser);
            case START_ARRAY:
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(parser));
                }
                return list;
            case VALUE_STRING:
                return parser.getText();
            case VALUE_NUMBER_INT:
                return parser.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return parser.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            default:
                throw new JsonParseException(parser, "unexpected token " + parser.currentToken());
        }
    }

    private static JsonParseException duplicate(JsonParser parser, String name) {
        return new JsonParseException(parser, "duplicate field " + Json.quote(name));
    }

    /**
     * Skips the value at the parser's current token. Its numbers are converted as reading them into
     * values did, so that one the parser reads but can't convert (e.g. {@code 1e99999999999}, whose
     * exponent a BigDecimal can't hold) still makes the body invalid, and so does a key twice in one
     * of its objects.
     */
    private static void skipValue(JsonParser parser) throws IOException {
        // The keys of each object that is open, innermost last.
        List<KeySet> open = new ArrayList<>();
        JsonToken token = parser.currentToken();
        while (true) {
            if (token == JsonToken.START_OBJECT) {
                open.add(new KeySet());
            } else if (token == JsonToken.START_ARRAY) {
                open.add(null);
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                open.remove(open.size() - 1);
            } else if (token == JsonToken.FIELD_NAME) {
                open.get(open.size() - 1).add(parser.currentName(), parser);
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                parser.getDecimalValue();
            } else if (token == JsonToken.VALUE_NUMBER_INT) {
                parser.getNumberValue();
            }
            if (open.isEmpty()) {
                return;
            }
            token = parser.nextToken();
        }
    }

    /**
     * The keys of one object, to refuse a duplicate: compared one by one while there are few (an
     * event has three), hashed beyond that so that an object of many keys costs no more than a set.
     */
    private static final class KeySet {
        private static final int LINEAR = 8;
        private final List<String> few = new ArrayList<>(LINEAR);
        private Set<String> many;

        void clear() {
            few.clear();
            many = null;
        }

        void add(String key, JsonParser parser) throws JsonParseException {
            boolean added;
            if (many != null) {
                added = many.add(key);
            } else if (few.size() < LINEAR) {
                added = !few.contains(key);
                if (added) {
                    few.add(key);
                }
            } else {
                many = new HashSet<>(few);
                added = many.add(key);
            }
            if (!added) {
                throw duplicate(parser, key);
            }
        }
    }

    /** One event as published: its fields as found, to be checked by the caller. */
    public static final class Element {
        static final Element NOT_AN_OBJECT = new Element(false);

        private final boolean object;
        private String category;
        private String eventType;
        private boolean eventTypeIsString = true;
        private Map<String, Object> data;
        private int dataStart = -1;
        private int dataEnd = -1;

        private Element() {
            this(true);
        }

        private Element(boolean object) {
            this.object = object;
        }

        /** Whether the element is a JSON object. */
        boolean isObject() {
            return object;
        }

        /** {@code category} when it is a string, else null. */
        String category() {
            return category;
        }

        /** {@code event} when it is a string, else null. */
        String eventType() {
            return eventType;
        }

        /** Whether {@code event} is a string, null or absent. */
        boolean eventTypeIsString() {
            return eventTypeIsString;
        }

        /** {@code data} when it is an object, else null. */
        Map<String, Object> data() {
            return data;
        }

        /**
         * Where {@code data}'s bytes start in the body (its opening brace), or -1 when the body's
         * offsets are unknown (a body Jackson decodes from UTF-16 or UTF-32).
         */
        int dataStart() {
            return dataStart;
        }

        /** Where {@code data}'s bytes end in the body (after its closing brace), or -1. */
        int dataEnd() {
            return dataEnd;
        }
    }
}
