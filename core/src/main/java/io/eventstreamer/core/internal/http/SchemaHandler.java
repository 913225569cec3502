package io.eventstreamer.core.internal.http;

import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.schema.SchemaFormat;
import io.eventstreamer.spi.EventCatalog;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/**
 * {@code GET /api/schema}: the JSON Schemas of the events of the host's sources, or with
 * {@code ?format=typescript} their TypeScript declarations. Catalogs don't change while the host
 * runs, so both answers are rendered once.
 */
public final class SchemaHandler extends Handler.Abstract.NonBlocking {
    private static final String FORMAT = "format";

    private final Map<SchemaFormat, byte[]> bodies = new EnumMap<>(SchemaFormat.class);

    /** @param catalogs what the schema describes, in order (see {@code SourceRegistry.enabledCatalogs}) */
    public SchemaHandler(List<EventCatalog> catalogs) {
        for (SchemaFormat format : SchemaFormat.values()) {
            bodies.put(format, format.render(catalogs).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "GET")) {
            return true;
        }
        List<String> requested;
        try {
            requested = Request.extractQueryParameters(request).getValuesOrEmpty(FORMAT);
        } catch (IllegalArgumentException e) {
            JsonResponses.error(response, callback, 400, "The query string is not valid URL encoding", "bad-request");
            return true;
        }
        SchemaFormat format = SchemaFormat.JSON_SCHEMA;
        if (requested.size() > 1) {
            JsonResponses.error(response, callback, 400, "Give the format parameter once; use "
                    + SchemaFormat.choices(), "unknown-format");
            return true;
        }
        if (requested.size() == 1) {
            Optional<SchemaFormat> named = SchemaFormat.named(requested.get(0));
            if (named.isEmpty()) {
                JsonResponses.error(response, callback, 400, "Unknown format " + Json.quote(requested.get(0))
                        + "; use " + SchemaFormat.choices(), "unknown-format");
                return true;
            }
            format = named.get();
        }
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, format.contentType());
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(bodies.get(format)), callback);
        return true;
    }
}
