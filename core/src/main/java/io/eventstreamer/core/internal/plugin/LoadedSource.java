package io.eventstreamer.core.internal.plugin;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventSource;
import java.util.Optional;

/** A discovered source, its catalog and its state, as reported by {@code /api/sources}. */
public final class LoadedSource {
    /** The states a source can be in. */
    public enum State {
        RUNNING("running"), FAILED("failed"), DISABLED("disabled"), STOPPED("stopped");

        private final String jsonName;

        State(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    private final String category;
    private final EventSource source;
    private final EventCatalog catalog;
    private final PluginClassLoader plugin;
    private volatile State state;
    private volatile String error;

    /** @param plugin the class loader of the plugin folder it came from, null for the class path */
    LoadedSource(String category, EventSource source, EventCatalog catalog, State state, String error,
            PluginClassLoader plugin) {
        this.category = category;
        this.source = source;
        this.catalog = catalog;
        this.state = state;
        this.error = error;
        this.plugin = plugin;
    }

    public String category() {
        return category;
    }

    EventSource source() {
        return source;
    }

    /** The plugin folder it came from, by name; empty for a source on the class path (lib/). */
    public Optional<String> plugin() {
        return Optional.ofNullable(plugin).map(PluginClassLoader::pluginName);
    }

    Optional<ClassLoader> classLoader() {
        return Optional.ofNullable(plugin);
    }

    /** Empty when the source failed before declaring a usable catalog. */
    public Optional<EventCatalog> catalog() {
        return Optional.ofNullable(catalog);
    }

    public State state() {
        return state;
    }

    public Optional<String> error() {
        return Optional.ofNullable(error);
    }

    void failed(String why) {
        this.state = State.FAILED;
        this.error = why;
    }

    void state(State newState) {
        this.state = newState;
    }
}
