package io.eventstreamer.core.internal.protocol;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.internal.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** docs/protocol.md as the tests read it: its tables by heading, and its JSON examples. */
final class ProtocolDoc {
    /** A documented value that stands for any string, e.g. {@code "timestamp":"..."}. */
    private static final String ANY = "...";
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern INLINE_MESSAGE = Pattern.compile("`(\\{\"type\":[^`]*)`");
    private static final Pattern NAME = Pattern.compile("`([^`]+)`");

    private final Path path;
    private final List<String> lines;
    private final String text;

    private ProtocolDoc(Path path) {
        this.path = path;
        try {
            this.text = Files.readString(path, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.lines = List.of(text.split("\n", -1));
    }

    /** docs/protocol.md of this checkout, found from the working directory (the module's, under Maven) upwards. */
    static ProtocolDoc read() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs/protocol.md");
            if (Files.isRegularFile(doc)) {
                return new ProtocolDoc(doc);
            }
        }
        throw new IllegalStateException("no docs/protocol.md above " + Path.of("").toAbsolutePath());
    }

    Path path() {
        return path;
    }

    /**
     * The rows of the first table after the line {@code heading} (e.g. {@code "### Errors"}), each
     * as its cells, without the header and separator rows.
     */
    List<List<String>> table(String heading) {
        int at = lines.indexOf(heading);
        if (at < 0) {
            throw new IllegalStateException(String.format("%s has no heading '%s'", path, heading));
        }
        while (at < lines.size() && !lines.get(at).startsWith("|")) {
            at++;
        }
        List<List<String>> rows = new ArrayList<>();
        for (int row = at + 2; row < lines.size() && lines.get(row).startsWith("|"); row++) {
            List<String> cells = new ArrayList<>();
            for (String cell : lines.get(row).substring(1).split("\\|", -1)) {
                cells.add(cell.trim());
            }
            rows.add(cells);
        }
        return rows;
    }

    /** The names written as code in a cell: {@code `invalid-token`, `token-expired`} gives both. */
    static List<String> names(String cell) {
        List<String> names = new ArrayList<>();
        Matcher name = NAME.matcher(cell);
        while (name.find()) {
            names.add(name.group(1));
        }
        return names;
    }

    /** Every server message the doc shows: its ```json blocks and inline {@code `{"type":...}`} that parse as objects. */
    List<JsonNode> examples() {
        List<JsonNode> examples = new ArrayList<>();
        for (Pattern pattern : List.of(JSON_BLOCK, INLINE_MESSAGE)) {
            Matcher found = pattern.matcher(text);
            while (found.find()) {
                try {
                    JsonNode node = Json.MAPPER.readTree(found.group(1));
                    if (node != null && node.isObject() && node.has("type")) {
                        examples.add(node);
                    }
                } catch (JacksonException e) {
                    // A sketch such as {"...":"..."}, not a message.
                }
            }
        }
        return examples;
    }

    /**
     * Whether {@code actual} is what {@code documented} shows: the same fields (none missing, none
     * extra), arrays of the same length, equal values, where a documented {@code "..."} stands for
     * any string. Field order is not compared (the codec's tests compare bytes).
     */
    static boolean shows(JsonNode documented, JsonNode actual) {
        if (documented.isTextual() && ANY.equals(documented.textValue())) {
            return actual.isTextual();
        }
        if (documented.isObject()) {
            if (!actual.isObject() || documented.size() != actual.size()) {
                return false;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = documented.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                JsonNode value = actual.get(field.getKey());
                if (value == null || !shows(field.getValue(), value)) {
                    return false;
                }
            }
            return true;
        }
        if (documented.isArray()) {
            if (!actual.isArray() || documented.size() != actual.size()) {
                return false;
            }
            for (int i = 0; i < documented.size(); i++) {
                if (!shows(documented.get(i), actual.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return documented.equals(actual);
    }
}
