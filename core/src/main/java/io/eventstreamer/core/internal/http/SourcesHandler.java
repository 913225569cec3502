package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.plugin.LoadedPlugin;
import io.eventstreamer.core.internal.plugin.LoadedSource;
import io.eventstreamer.core.internal.plugin.SourceRegistry;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/sources}: each source, its state and its catalog, so tools can build payloads;
 * with a plugin directory, also each plugin folder and whether it loaded.
 */
public final class SourcesHandler extends Handler.Abstract.NonBlocking {
    private final SourceRegistry sources;

    public SourcesHandler(SourceRegistry sources) {
        this.sources = sources;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "GET")) {
            return true;
        }
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("sources");
        for (LoadedSource source : sources.all()) {
            list.add(describe(source));
        }
        if (sources.hasPluginDirectory()) {
            ArrayNode plugins = body.putArray("plugins");
            sources.plugins().forEach(plugin -> plugins.add(describe(plugin)));
        }
        JsonResponses.write(response, callback, 200, body);
        return true;
    }

    static ObjectNode describe(LoadedSource source) {
        ObjectNode node = Json.object();
        node.put("category", source.category());
        node.put("state", source.state().jsonName());
        source.error().ifPresent(e -> node.put("error", e));
        source.plugin().ifPresent(name -> node.put("plugin", name));
        ArrayNode types = node.putArray("eventTypes");
        source.catalog().map(EventCatalog::eventTypes).ifPresent(list -> list.forEach(t -> types.add(describe(t))));
        return node;
    }

    private static ObjectNode describe(LoadedPlugin plugin) {
        ObjectNode node = Json.object();
        node.put("name", plugin.name());
        node.put("state", plugin.state().jsonName());
        plugin.error().ifPresent(e -> node.put("error", e));
        ArrayNode categories = node.putArray("categories");
        plugin.categories().forEach(categories::add);
        return node;
    }

    private static ObjectNode describe(EventType type) {
        ObjectNode node = Json.object();
        node.put("name", type.name());
        node.put("description", type.description());
        type.coalesceKey().ifPresent(k -> node.put("key", k));
        ArrayNode fields = node.putArray("fields");
        for (FieldSpec field : type.fields()) {
            ObjectNode f = fields.addObject();
            f.put("name", field.name());
            f.put("type", field.type().jsonName());
            field.format().ifPresent(format -> f.put("format", format));
            f.put("required", field.required());
            if (!field.description().isEmpty()) {
                f.put("description", field.description());
            }
        }
        return node;
    }
}
