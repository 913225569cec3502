package io.eventstreamer.spi.testkit;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import io.eventstreamer.spi.InvalidEventException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares the documentation of one category in a Markdown file with its catalog.
 *
 * <p>The expected layout: a {@code ## <category>} section; in it a {@code ### <event-type>}
 * subsection per event type, holding a field table whose rows start
 * {@code | `name` | <json type> | <format or empty> | yes/no |}, and one or more {@code ```json}
 * blocks, each a complete publish request {@code {"category":..,"event":..,"data":{..}}}.
 */
final class EventsDocument {
    private static final Pattern FIELD_ROW = Pattern.compile(
            "^\\|\\s*`([^`]+)`\\s*\\|\\s*([a-z]+)\\s*\\|\\s*`?([a-z-]*)`?\\s*\\|\\s*(yes|no)\\s*\\|");
    private static final Pattern JSON_BLOCK = Pattern.compile("```json\\n(.*?)```", Pattern.DOTALL);

    private final String text;
    private final Path path;

    private EventsDocument(Path path, String text) {
        this.path = path;
        this.text = text;
    }

    static EventsDocument read(Path path) throws IOException {
        return new EventsDocument(path, Files.readString(path));
    }

    /** Every disagreement between the document and the catalog; empty when they agree. */
    List<String> problemsWith(EventCatalog catalog) {
        List<String> problems = new ArrayList<>();
        Map<String, String> sections = subsections(section("## " + catalog.category()), "### ");
        if (sections.isEmpty()) {
            problems.add(String.format("%s has no '## %s' section with '### <event-type>' subsections",
                    path, catalog.category()));
            return problems;
        }
        for (EventType type : catalog.eventTypes()) {
            if (!sections.containsKey(type.name())) {
                problems.add(String.format("%s does not document event type '%s'", path, type.name()));
            }
        }
        for (Map.Entry<String, String> section : sections.entrySet()) {
            EventType type = catalog.eventType(section.getKey()).orElse(null);
            if (type == null) {
                problems.add(String.format("%s documents '%s', which is not in the catalog of '%s'",
                        path, section.getKey(), catalog.category()));
                continue;
            }
            problems.addAll(fieldTableProblems(type, section.getValue()));
            problems.addAll(exampleProblems(catalog, type, section.getValue()));
        }
        return problems;
    }

    private List<String> fieldTableProblems(EventType type, String section) {
        List<String> documented = new ArrayList<>();
        for (String line : section.split("\n")) {
            Matcher row = FIELD_ROW.matcher(line.trim());
            if (row.find()) {
                documented.add(row.group(1) + " " + row.group(2) + " " + row.group(3) + " " + row.group(4));
            }
        }
        List<String> declared = new ArrayList<>();
        for (FieldSpec field : type.fields()) {
            declared.add(field.name() + " " + field.type().jsonName() + " " + field.format().orElse("")
                    + " " + (field.required() ? "yes" : "no"));
        }
        if (documented.equals(declared)) {
            return List.of();
        }
        return List.of(String.format("%s: the field table of '%s' says %s but the catalog declares %s",
                path, type.name(), documented, declared));
    }

    private List<String> exampleProblems(EventCatalog catalog, EventType type, String section) {
        List<String> problems = new ArrayList<>();
        Matcher block = JSON_BLOCK.matcher(section);
        int examples = 0;
        while (block.find()) {
            examples++;
            String where = String.format("%s: example %d of '%s'", path, examples, type.name());
            Map<String, Object> request;
            try {
                request = ConfigFactory.parseString(block.group(1),
                        ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)).root().unwrapped();
            } catch (ConfigException e) {
                problems.add(where + " is not a JSON object: " + e.getMessage());
                continue;
            }
            if (!Objects.equals(request.get("category"), catalog.category())
                    || !Objects.equals(request.get("event"), type.name())) {
                problems.add(String.format("%s has category '%s' and event '%s'",
                        where, request.get("category"), request.get("event")));
                continue;
            }
            problems.addAll(payloadProblems(where, catalog, type, request.get("data")));
        }
        if (examples == 0) {
            problems.add(String.format("%s: '%s' has no ```json example", path, type.name()));
        }
        return problems;
    }

    private static List<String> payloadProblems(String where, EventCatalog catalog, EventType type, Object data) {
        if (!(data instanceof Map)) {
            return List.of(where + " has no \"data\" object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> payload = (Map<String, Object>) data;
        try {
            catalog.validate(type.name(), payload);
        } catch (InvalidEventException e) {
            return List.of(where + " is refused: " + e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        for (String field : payload.keySet()) {
            if (type.field(field).isEmpty()) {
                problems.add(String.format("%s has undeclared field '%s'", where, field));
            }
        }
        return problems;
    }

    /** The text from {@code heading} (a whole line) up to the next heading of the same level. */
    private String section(String heading) {
        String level = heading.substring(0, heading.indexOf(' ') + 1);
        int start = indexOfLine(text, heading, 0);
        if (start < 0) {
            return "";
        }
        int end = indexOfLinePrefix(text, level, start + heading.length());
        return text.substring(start, end < 0 ? text.length() : end);
    }

    private static Map<String, String> subsections(String section, String level) {
        Map<String, String> result = new LinkedHashMap<>();
        int start = indexOfLinePrefix(section, level, 0);
        while (start >= 0) {
            int lineEnd = section.indexOf('\n', start);
            String name = section.substring(start + level.length(), lineEnd < 0 ? section.length() : lineEnd).trim();
            int next = indexOfLinePrefix(section, level, start + level.length());
            result.put(name, section.substring(start, next < 0 ? section.length() : next));
            start = next;
        }
        return result;
    }

    private static int indexOfLine(String text, String line, int from) {
        int at = indexOfLinePrefix(text, line, from);
        while (at >= 0) {
            int end = at + line.length();
            if (end == text.length() || text.charAt(end) == '\n') {
                return at;
            }
            at = indexOfLinePrefix(text, line, end);
        }
        return -1;
    }

    private static int indexOfLinePrefix(String text, String prefix, int from) {
        int at = text.indexOf(prefix, from);
        while (at > 0 && text.charAt(at - 1) != '\n') {
            at = text.indexOf(prefix, at + 1);
        }
        return at;
    }
}
