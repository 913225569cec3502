package io.eventstreamer.core.internal.plugin;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** A folder of the plugin directory and what came of loading it, as {@code GET /api/sources} reports it. */
public final class LoadedPlugin {
    /** The states a plugin folder can be in. */
    public enum State {
        /** Its class loader was created and every source it registers was found. */
        LOADED("loaded"),
        /** It holds no usable jar, registers no source, or a source of it could not be loaded. */
        FAILED("failed");

        private final String jsonName;

        State(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    private final String name;
    private final Path directory;
    private final State state;
    private final List<String> categories;
    private final String error;

    private LoadedPlugin(String name, Path directory, State state, List<String> categories, String error) {
        this.name = name;
        this.directory = directory;
        this.state = state;
        this.categories = List.copyOf(categories);
        this.error = error;
    }

    static LoadedPlugin loaded(String name, Path directory, List<String> categories) {
        return new LoadedPlugin(name, directory, State.LOADED, categories, null);
    }

    static LoadedPlugin failed(String name, Path directory, List<String> categories, String error) {
        return new LoadedPlugin(name, directory, State.FAILED, categories, error);
    }

    /** The folder's name. */
    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    public State state() {
        return state;
    }

    /** The categories of the sources it provides, in load order (a failed plugin may still have some). */
    public List<String> categories() {
        return categories;
    }

    /** Why it failed, in one line. */
    public Optional<String> error() {
        return Optional.ofNullable(error);
    }
}
