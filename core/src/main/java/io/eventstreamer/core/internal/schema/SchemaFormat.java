package io.eventstreamer.core.internal.schema;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.spi.EventCatalog;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;

/** The formats of {@code GET /api/schema?format=} and {@code --print-schema --format}. */
public enum SchemaFormat {
    /** The JSON Schema document of {@link EventSchemas}, pretty-printed. */
    JSON_SCHEMA("json-schema", "application/json; charset=utf-8"),
    /** The declaration file of {@link TypeScriptDeclarations}. */
    TYPESCRIPT("typescript", "text/plain; charset=utf-8");

    /** Indented, with {@code "key": value} rather than Jackson's default {@code "key" : value}. */
    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER));

    private final String formatName;
    private final String contentType;

    SchemaFormat(String formatName, String contentType) {
        this.formatName = formatName;
        this.contentType = contentType;
    }

    /** The format called {@code name} ({@code json-schema}, {@code typescript}), if there is one. */
    public static Optional<SchemaFormat> named(String name) {
        for (SchemaFormat format : values()) {
            if (format.formatName.equals(name)) {
                return Optional.of(format);
            }
        }
        return Optional.empty();
    }

    /** The names of the formats for messages: {@code json-schema or typescript}. */
    public static String choices() {
        return JSON_SCHEMA.formatName + " or " + TYPESCRIPT.formatName;
    }

    public String formatName() {
        return formatName;
    }

    /** The Content-Type of an HTTP answer in this format. */
    public String contentType() {
        return contentType;
    }

    /** The schema of {@code catalogs} in this format, ending with a line break. */
    public String render(List<EventCatalog> catalogs) {
        if (this == TYPESCRIPT) {
            return TypeScriptDeclarations.render(catalogs);
        }
        try {
            return Json.MAPPER.writer(PRETTY).writeValueAsString(EventSchemas.document(catalogs)) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
