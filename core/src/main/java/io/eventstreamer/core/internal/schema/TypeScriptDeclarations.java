package io.eventstreamer.core.internal.schema;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import io.eventstreamer.spi.JsonType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A TypeScript declaration file for the events of a set of catalogs, as
 * {@code GET /api/schema?format=typescript} and {@code --print-schema --format typescript} give it.
 *
 * <p>Per event type an interface named from its category and name in PascalCase
 * ({@code scheduler} + {@code schedule-executed}: {@code SchedulerScheduleExecutedEvent}) whose
 * {@code type}, {@code category} and {@code event} are literal types; per category a union
 * ({@code SchedulerEvent}); {@code EventStreamerEvent}, the union of the categories;
 * {@code Category}; and {@code EventStreamerEventMap}, from {@code 'scheduler'} and
 * {@code 'scheduler:schedule-executed'} to their types.
 *
 * <p>The file is valid for any catalog. A field name that is not an identifier is quoted. A category
 * that starts with a digit gets a leading {@code _} in its names, and a generated name that is
 * already taken (by a fixed name, or because two names differ only in their hyphens, e.g.
 * {@code a-b}/{@code c} and {@code a}/{@code b-c}) gets {@code _2}, {@code _3}...; the map's keys
 * stay the plain names.
 */
public final class TypeScriptDeclarations {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final String INDENT = "  ";

    private final List<EventCatalog> catalogs;
    private final Set<String> taken = new HashSet<>(List.of("Category", "EventStreamerEvent", "EventStreamerEventMap"));
    private final Map<String, String> categoryNames = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> eventNames = new LinkedHashMap<>();
    private final StringBuilder out = new StringBuilder(8192);

    private TypeScriptDeclarations(List<EventCatalog> catalogs) {
        this.catalogs = catalogs;
        // Categories' unions first, then the event types: a clash renames the later one.
        for (EventCatalog catalog : catalogs) {
            categoryNames.put(catalog.category(), unique(typePrefix(catalog.category()) + "Event"));
        }
        for (EventCatalog catalog : catalogs) {
            Map<String, String> names = new LinkedHashMap<>();
            for (EventType type : catalog.eventTypes()) {
                names.put(type.name(), unique(typePrefix(catalog.category()) + pascalCase(type.name()) + "Event"));
            }
            eventNames.put(catalog.category(), names);
        }
    }

    /** The declaration file for {@code catalogs}, in their order, ending with a line break. */
    public static String render(List<EventCatalog> catalogs) {
        return new TypeScriptDeclarations(catalogs).render();
    }

    private String render() {
        out.append("// event-streamer event types, generated from the catalogs of the server's sources by\n")
                .append("// GET /api/schema?format=typescript or bin/event-streamer --print-schema --format typescript.\n")
                .append("// Generate it again when a source changes rather than editing it.\n")
                .append("//\n")
                .append("// An optional field may be absent or null. Fields beyond the declared ones are delivered\n")
                .append("// as they were published, but are not typed here.\n\n");

        out.append("/** The categories of the server's sources. */\n");
        List<String> categories = new ArrayList<>();
        for (EventCatalog catalog : catalogs) {
            categories.add(literal(catalog.category()));
        }
        out.append("export type Category = ").append(union(categories, "")).append(";\n");

        for (EventCatalog catalog : catalogs) {
            Map<String, String> names = eventNames.get(catalog.category());
            for (EventType type : catalog.eventTypes()) {
                out.append('\n');
                eventInterface(catalog, type, names.get(type.name()));
            }
            out.append('\n');
            out.append("/** Every event type of category ").append(literal(catalog.category())).append(". */\n");
            out.append("export type ").append(categoryNames.get(catalog.category())).append(" =")
                    .append(union(new ArrayList<>(names.values()), "\n" + INDENT)).append(";\n");
        }

        out.append("\n/** Every event of every category. */\n");
        out.append("export type EventStreamerEvent =")
                .append(union(new ArrayList<>(categoryNames.values()), "\n" + INDENT)).append(";\n");

        out.append("\n/** The event types by key: a category, or '<category>:<event type>'. */\n");
        out.append("export interface EventStreamerEventMap {\n");
        for (EventCatalog catalog : catalogs) {
            out.append(INDENT).append(literal(catalog.category())).append(": ")
                    .append(categoryNames.get(catalog.category())).append(";\n");
            for (EventType type : catalog.eventTypes()) {
                out.append(INDENT).append(literal(catalog.category() + ":" + type.name())).append(": ")
                        .append(eventNames.get(catalog.category()).get(type.name())).append(";\n");
            }
        }
        out.append("}\n");
        return out.toString();
    }

    private void eventInterface(EventCatalog catalog, EventType type, String name) {
        jsDoc("", type.description(), null);
        out.append("export interface ").append(name).append(" {\n");
        for (EnvelopeField field : EnvelopeField.ALL) {
            switch (field) {
                case TYPE:
                    out.append(INDENT).append("type: 'event';\n");
                    break;
                case CATEGORY:
                    out.append(INDENT).append("category: ").append(literal(catalog.category())).append(";\n");
                    break;
                case EVENT:
                    out.append(INDENT).append("event: ").append(literal(type.name())).append(";\n");
                    break;
                case DATA:
                    data(type);
                    break;
                default:
                    jsDoc(INDENT, field.description(), null);
                    out.append(INDENT).append(field.wireName()).append(": string;\n");
                    break;
            }
        }
        out.append("}\n");
    }

    private void data(EventType type) {
        jsDoc(INDENT, EnvelopeField.DATA.description(), null);
        if (type.fields().isEmpty()) {
            out.append(INDENT).append("data: {};\n");
            return;
        }
        out.append(INDENT).append("data: {\n");
        String indent = INDENT + INDENT;
        for (FieldSpec field : type.fields()) {
            jsDoc(indent, field.description(), field.format().orElse(null));
            out.append(indent).append(propertyKey(field.name())).append(field.required() ? ": " : "?: ")
                    .append(typeOf(field.type())).append(field.required() ? "" : " | null").append(";\n");
        }
        out.append(INDENT).append("};\n");
    }

    private static String typeOf(JsonType type) {
        switch (type) {
            case STRING:
                return "string";
            case INTEGER:
            case NUMBER:
                return "number";
            case BOOLEAN:
                return "boolean";
            case OBJECT:
                return "Record<string, unknown>";
            case ARRAY:
                return "unknown[]";
            default:
                throw new AssertionError(type);
        }
    }

    /** A JSDoc comment of the description's lines and a {@code @format} tag; nothing when both are empty. */
    private void jsDoc(String indent, String description, String format) {
        List<String> lines = new ArrayList<>();
        for (String line : description.split("\\R", -1)) {
            // "*/" would end the comment early.
            lines.add(line.replace("*/", "*\\/").stripTrailing());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        while (!lines.isEmpty() && lines.get(0).isEmpty()) {
            lines.remove(0);
        }
        if (format != null) {
            lines.add("@format " + format.replace("*/", "*\\/").replaceAll("\\R", " "));
        }
        if (lines.isEmpty()) {
            return;
        }
        if (lines.size() == 1) {
            out.append(indent).append("/** ").append(lines.get(0)).append(" */\n");
            return;
        }
        out.append(indent).append("/**\n");
        for (String line : lines) {
            out.append(indent).append(line.isEmpty() ? " *" : " * " + line).append('\n');
        }
        out.append(indent).append(" */\n");
    }

    private static String union(List<String> members, String separator) {
        if (members.isEmpty()) {
            return separator.isEmpty() ? "never" : " never";
        }
        if (separator.isEmpty()) {
            return String.join(" | ", members);
        }
        StringBuilder union = new StringBuilder();
        for (String member : members) {
            union.append(separator).append("| ").append(member);
        }
        return union.toString();
    }

    private String unique(String name) {
        String candidate = name;
        for (int n = 2; !taken.add(candidate); n++) {
            candidate = name + "_" + n;
        }
        return candidate;
    }

    /** The category's part of a type name: PascalCase, with a leading {@code _} before a digit. */
    private static String typePrefix(String category) {
        String name = pascalCase(category);
        return Character.isDigit(name.charAt(0)) ? "_" + name : name;
    }

    /** {@code schedule-executed} as {@code ScheduleExecuted}. */
    static String pascalCase(String kebab) {
        StringBuilder name = new StringBuilder(kebab.length());
        for (String word : kebab.split("-")) {
            if (!word.isEmpty()) {
                name.append(Character.toUpperCase(word.charAt(0))).append(word, 1, word.length());
            }
        }
        return name.toString();
    }

    private static String propertyKey(String name) {
        return IDENTIFIER.matcher(name).matches() ? name : literal(name);
    }

    /**
     * A TypeScript string literal in single quotes, in ASCII: anything outside printable ASCII as a
     * {@code \\uXXXX} escape, so that no character of a field name can break the file.
     */
    static String literal(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\'' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }
}
