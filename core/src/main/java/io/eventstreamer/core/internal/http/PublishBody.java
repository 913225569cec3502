package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import io.eventstreamer.core.internal.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of {@code POST /api/events} read in one streaming pass: for each element, its
 * {@code category}, {@code event} and {@code data}, and where the data object's bytes are in the
 * body, so that they can be delivered as they came instead of being written again.
 *
 * <p>The whole body is read before anything is checked, so that a body that is not JSON is refused
 * as such whatever else is wrong with it. Nothing is judged here beyond JSON: {@link PublishHandler}
 * checks the elements.
 */
final class PublishBody {
    /**
     * Reads {@code data} as parsing the whole body into untyped values did (maps, lists, big
     * decimals for fractions). Trailing tokens are the body's concern: this reader stops at the
     * data object's end.
     */
    private static final ObjectReader DATA_READER = Json.MAPPER.readerFor(Object.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
    List<Element> elements() {
        return elements;
    }

    /**
     * Parses a body with {@link Json#MAPPER}'s parser settings (duplicate keys, nesting and number
     * limits), refusing anything after the top-level value as parsing into a value did.
     *
     * @throws com.fasterxml.jackson.core.JacksonException when the body is not one JSON value
     */
    static PublishBody parse(byte[] body) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new JsonParseException(parser, "no JSON value in the body");
            }
            List<Element> elements = new ArrayList<>();
            boolean array = first == JsonToken.START_ARRAY;
            if (array) {
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    elements.add(readElement(parser));
                }
            } else {
                elements.add(readElement(parser));
            }
            if (parser.nextToken() != null) {
                throw new JsonParseException(parser, "content after the top-level value");
            }
            return new PublishBody(array, elements);
        }
    }

    /** Reads the value at the parser's current token, leaving the parser on its last token (or none). */
    private static Element readElement(JsonParser parser) throws IOException {
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            skipValue(parser);
            return Element.NOT_AN_OBJECT;
        }
        Element element = new Element();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            if (field.equals("category") && value == JsonToken.VALUE_STRING) {
                element.category = parser.getText();
            } else if (field.equals("event") && value == JsonToken.VALUE_STRING) {
                element.eventType = parser.getText();
            } else if (field.equals("data") && value == JsonToken.START_OBJECT) {
                element.dataStart = (int) parser.currentTokenLocation().getByteOffset();
                @SuppressWarnings("unchecked")
                Map<String, Object> data = (Map<String, Object>) DATA_READER.readValue(parser);
                element.data = data;
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
     * Skips the value at the parser's current token. Its numbers are converted as reading them into
     * values did, so that one the parser reads but can't convert (e.g. {@code 1e99999999999}, whose
     * exponent a BigDecimal can't hold) still makes the body invalid.
     */
    private static void skipValue(JsonParser parser) throws IOException {
        int depth = 0;
        JsonToken token = parser.currentToken();
        while (true) {
            if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                depth++;
            } else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                depth--;
            } else if (token == JsonToken.VALUE_NUMBER_FLOAT) {
                parser.getDecimalValue();
            } else if (token == JsonToken.VALUE_NUMBER_INT) {
                parser.getNumberValue();
            }
            if (depth == 0) {
                return;
            }
            token = parser.nextToken();
        }
    }

    /** One event as published: its fields as found, to be checked by the caller. */
    static final class Element {
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
