package io.eventstreamer.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import io.eventstreamer.core.internal.json.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * {@link PublishBody} reads a body as {@link Json#MAPPER} reads it into untyped values: the same
 * data, and the same bodies refused (duplicate keys at any depth, limits), without Jackson's data
 * binding. Keys come from a small alphabet so that generated objects often repeat one.
 */
class PublishBodyTest {
    private static final List<String> KEYS = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k",
            "category", "event", "data");

    @Property(tries = 2000, seed = "7")
    @Label("data is read as the mapper reads it, and a body is refused exactly when the mapper refuses it")
    void readsAsTheMapper(@ForAll("objects") String object, @ForAll("places") String place) throws Exception {
        String body = place.replace("OBJECT", object);
        Object expected;
        try {
            expected = Json.MAPPER.readValue(body, Object.class);
        } catch (JacksonException | NumberFormatException | ArithmeticException e) {
            // Each of these is refused as invalid-json by PublishHandler.
            assertThatThrownBy(() -> PublishBody.parse(bytes(body))).as(body)
                    .isInstanceOfAny(JacksonException.class, NumberFormatException.class, ArithmeticException.class);
            return;
        }
        PublishBody parsed = PublishBody.parse(bytes(body));
        if (place.startsWith("{\"category\":\"x\",\"event\":\"y\",\"data\":")) {
            PublishBody.Element element = parsed.elements().get(0);
            assertThat(element.data()).as(body).isEqualTo(Json.MAPPER.readValue(object, Object.class));
            // Offsets are in bytes: strings may be beyond ASCII.
            assertThat(new String(bytes(body), element.dataStart(), element.dataEnd() - element.dataStart(),
                    StandardCharsets.UTF_8)).isEqualTo(object);
        }
        assertThat(parsed.elements()).as(body).hasSize(expected instanceof List ? ((List<?>) expected).size() : 1);
    }

    @Provide
    Arbitrary<String> places() {
        return Arbitraries.of(
                "{\"category\":\"x\",\"event\":\"y\",\"data\":OBJECT}",
                "{\"category\":\"x\",\"extra\":OBJECT,\"event\":\"y\",\"data\":{}}",
                "[{\"category\":\"x\",\"event\":\"y\",\"data\":{}},{\"event\":[OBJECT],\"data\":{}}]",
                "OBJECT",
                "[7,OBJECT]");
    }

    @Provide
    Arbitrary<String> objects() {
        return object(4);
    }

    private Arbitrary<String> value(int depth) {
        Arbitrary<String> scalars = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(6).map(PublishBodyTest::string),
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(30)),
                        new java.math.BigInteger("1" + "0".repeat(30))).map(String::valueOf),
                Arbitraries.of("1.5", "-0.0", "1e3", "2.50", "1E-7", "0.1e+2", "true", "false", "null",
                        "1e99999999999"));
        if (depth == 0) {
            return scalars;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(5, scalars),
                net.jqwik.api.Tuple.of(1, object(depth - 1)),
                net.jqwik.api.Tuple.of(1, value(depth - 1).list().ofMaxSize(4)
                        .map(items -> items.stream().collect(Collectors.joining(",", "[", "]")))));
    }

    private Arbitrary<String> object(int depth) {
        Arbitrary<String> member = net.jqwik.api.Combinators.combine(Arbitraries.of(KEYS), value(depth))
                .as((key, value) -> string(key) + ":" + value);
        return member.list().ofMaxSize(12).map(members -> members.stream().collect(Collectors.joining(",", "{", "}")));
    }

    @Test
    @DisplayName("a duplicate key is refused in data, deep in data, in an ignored field and in the event itself")
    void duplicates() {
        List<String> bodies = new ArrayList<>(List.of(
                "{\"category\":\"x\",\"event\":\"y\",\"data\":{\"a\":1,\"a\":null}}",
                "{\"category\":\"x\",\"event\":\"y\",\"data\":{\"a\":[{\"b\":1,\"c\":2,\"b\":3}]}}",
                "{\"category\":\"x\",\"event\":\"y\",\"extra\":{\"b\":{\"c\":1,\"c\":1}},\"data\":{}}",
                "{\"category\":\"x\",\"event\":\"y\",\"data\":{},\"data\":{}}",
                "[{\"category\":\"x\",\"event\":\"y\",\"data\":{}},{\"event\":\"y\",\"x\":1,\"event\":\"y\"}]"));
        // Past the eight keys compared one by one.
        String many = KEYS.subList(0, 11).stream().map(k -> string(k) + ":1").collect(Collectors.joining(","));
        bodies.add("{\"category\":\"x\",\"event\":\"y\",\"extra\":{" + many + ",\"c\":2},\"data\":{}}");
        bodies.add("{" + many + ",\"j\":2}");
        for (String body : bodies) {
            assertThatThrownBy(() -> PublishBody.parse(bytes(body))).as(body)
                    .isInstanceOf(JacksonException.class).hasMessageContaining("duplicate field");
        }
    }

    @Test
    @DisplayName("the mapper's nesting limit holds")
    void nestingLimit() throws Exception {
        String deep = "[".repeat(70) + "]".repeat(70);
        assertThatThrownBy(() -> PublishBody.parse(bytes(
                "{\"category\":\"x\",\"event\":\"y\",\"data\":{\"a\":" + deep + "}}")))
                .isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> PublishBody.parse(bytes(
                "{\"category\":\"x\",\"event\":\"y\",\"extra\":" + deep + ",\"data\":{}}")))
                .isInstanceOf(JacksonException.class);
        String fine = "[".repeat(60) + "]".repeat(60);
        assertThat(PublishBody.parse(bytes("{\"category\":\"x\",\"event\":\"y\",\"data\":{\"a\":" + fine + "}}"))
                .elements()).hasSize(1);
    }

    /** A JSON string. */
    private static String string(String s) {
        return "\"" + new String(Json.escapedUtf8(s), StandardCharsets.UTF_8) + "\"";
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
