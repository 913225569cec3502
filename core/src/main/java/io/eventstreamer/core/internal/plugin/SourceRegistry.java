package io.eventstreamer.core.internal.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.InvalidSettingsException;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.SourceContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers {@link EventSource}s with {@link ServiceLoader}, on the host's class path and in each
 * plugin folder's class loader, starts the enabled ones and keeps their state. A source that fails
 * in any way is recorded as failed, a plugin folder that fails as a failed plugin; nothing either
 * does stops the host or another source.
 */
public final class SourceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SourceRegistry.class);
    private static final String SOURCES = "event-streamer.sources";
    private static final String SERVICES_FILE = "META-INF/services/" + EventSource.class.getName();

    private final Map<String, LoadedSource> sources = new LinkedHashMap<>();
    private final List<LoadedPlugin> plugins = new ArrayList<>();
    private final List<PluginClassLoader> pluginLoaders = new ArrayList<>();
    private final boolean hasPluginDirectory;

    private SourceRegistry(boolean hasPluginDirectory) {
        this.hasPluginDirectory = hasPluginDirectory;
    }

    /**
     * Finds every source on the class loader, then in each folder of the plugin directory, and
     * reads their catalogs; starts nothing yet.
     *
     * @param loader the class loader whose sources are the class path's (lib/ in the distribution)
     * @param pluginsDirectory the directory of plugin folders, if there is one
     */
    public static SourceRegistry discover(ClassLoader loader, Optional<Path> pluginsDirectory, Config config) {
        SourceRegistry registry = new SourceRegistry(pluginsDirectory.isPresent());
        ServiceLoader<EventSource> serviceLoader = ServiceLoader.load(EventSource.class, loader);
        for (ServiceLoader.Provider<EventSource> provider : providers(serviceLoader, problem ->
                LOG.error("An event source could not be loaded and is skipped: {}", problem))) {
            registry.load(provider, config, null);
        }
        pluginsDirectory.ifPresent(directory -> {
            List<PluginFolder> folders;
            try {
                folders = PluginFolder.list(directory);
            } catch (UncheckedIOException e) {
                LOG.error("No plugin folder is loaded: {}", e.getMessage());
                return;
            }
            for (PluginFolder folder : folders) {
                registry.loadPlugin(folder, config);
            }
        });
        return registry;
    }

    private static List<ServiceLoader.Provider<EventSource>> providers(ServiceLoader<EventSource> loader,
            Consumer<String> problems) {
        List<ServiceLoader.Provider<EventSource>> found = new ArrayList<>();
        var iterator = loader.stream().iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    return found;
                }
                found.add(iterator.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                problems.accept(describe(e));
            }
        }
    }

    private void loadPlugin(PluginFolder folder, Config config) {
        Optional<String> unusable = folder.problem();
        if (unusable.isPresent()) {
            pluginFailed(folder, List.of(), List.of(unusable.get()));
            return;
        }
        // Core's own class loader: the classes a plugin shares are then the very ones core uses.
        PluginClassLoader loader = folder.classLoader(SourceRegistry.class.getClassLoader()).orElseThrow();
        pluginLoaders.add(loader);
        List<String> problems = new ArrayList<>();
        ContextClassLoader.run(loader, () -> {
            ServiceLoader<EventSource> serviceLoader = ServiceLoader.load(EventSource.class, loader);
            for (ServiceLoader.Provider<EventSource> provider : providers(serviceLoader, problems::add)) {
                load(provider, config, loader).ifPresent(problems::add);
            }
        });
        List<String> categories = new ArrayList<>();
        for (LoadedSource source : sources.values()) {
            if (source.classLoader().orElse(null) == loader) {
                categories.add(source.category());
            }
        }
        if (categories.isEmpty() && problems.isEmpty()) {
            problems.add("none of its jars registers an event source in " + SERVICES_FILE);
        }
        if (!problems.isEmpty()) {
            pluginFailed(folder, categories, problems);
            return;
        }
        plugins.add(LoadedPlugin.loaded(folder.name(), folder.directory(), categories));
        LOG.info("Plugin '{}' loaded from {}: {}", folder.name(), folder.directory(), String.join(", ", categories));
    }

    private void pluginFailed(PluginFolder folder, List<String> categories, List<String> problems) {
        String why = String.join("; ", problems);
        plugins.add(LoadedPlugin.failed(folder.name(), folder.directory(), categories, why));
        LOG.error("Plugin '{}' ({}) failed: {}", folder.name(), folder.directory(), why);
    }

    /**
     * Creates the source and reads its category and catalog. Returns why it was skipped, if it was;
     * a source with an unusable catalog is kept as failed. A skipped source of the class path is
     * logged here, one of a plugin with the plugin.
     */
    private Optional<String> load(ServiceLoader.Provider<EventSource> provider, Config config,
            PluginClassLoader plugin) {
        String className = provider.type().getName();
        EventSource source;
        String category;
        EventCatalog catalog;
        try {
            source = provider.get();
            category = source.category();
            catalog = source.catalog();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            return skipped(plugin, String.format("Event source %s could not be loaded: %s", className, describe(e)));
        }
        if (!EventCatalog.isValidName(category)) {
            return skipped(plugin, String.format("Event source %s declares an invalid category '%s'", className, category));
        }
        if (sources.containsKey(category)) {
            return skipped(plugin, String.format("Event source %s declares category '%s', which %s already provides",
                    className, category, sources.get(category).source().getClass().getName()));
        }
        if (catalog == null || !category.equals(catalog.category())) {
            String why = catalog == null ? "its catalog is null"
                    : "its catalog is for category '" + catalog.category() + "'";
            sources.put(category, new LoadedSource(category, source, null, LoadedSource.State.FAILED, why, plugin));
            LOG.error("Event source '{}' ({}) failed: {}", category, className, why);
            return Optional.empty();
        }
        boolean enabled = enabled(config, category);
        LoadedSource.State state = enabled ? LoadedSource.State.STOPPED : LoadedSource.State.DISABLED;
        sources.put(category, new LoadedSource(category, source, catalog, state, null, plugin));
        return Optional.empty();
    }

    /**
     * Starts every enabled source with a context built by {@code contexts}; a source that throws is
     * marked failed and logged.
     */
    public void start(Config config, Function<LoadedSource, EventEmitter> emitters) {
        for (LoadedSource loaded : sources.values()) {
            if (loaded.state() != LoadedSource.State.STOPPED) {
                continue;
            }
            EventEmitter emitter = emitters.apply(loaded);
            Config own = sourceConfig(config, loaded.category());
            try {
                Context context = new Context(loaded.category(), emitter, own);
                ContextClassLoader.run(loaded.classLoader().orElse(null), () -> loaded.source().start(context));
                loaded.state(LoadedSource.State.RUNNING);
                LOG.info("Event source '{}' started", loaded.category());
            } catch (Exception | LinkageError e) {
                loaded.failed(describe(e));
                LOG.error("Event source '{}' failed to start: {}", loaded.category(), describe(e));
                LOG.debug("Event source '{}' start failure", loaded.category(), e);
            }
        }
    }

    /**
     * Stops every source that was started (including the failed ones, so they can clean up), then
     * closes the plugins' class loaders.
     */
    public void stop() {
        for (LoadedSource loaded : sources.values()) {
            if (loaded.state() == LoadedSource.State.DISABLED || loaded.source() == null) {
                continue;
            }
            try {
                ContextClassLoader.run(loaded.classLoader().orElse(null), () -> loaded.source().stop());
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Event source '{}' failed to stop cleanly: {}", loaded.category(), describe(e));
            }
            if (loaded.state() == LoadedSource.State.RUNNING) {
                loaded.state(LoadedSource.State.STOPPED);
            }
        }
        for (PluginClassLoader loader : pluginLoaders) {
            try {
                loader.close();
            } catch (IOException e) {
                LOG.warn("The class loader of plugin '{}' did not close cleanly: {}", loader.pluginName(), e.toString());
            }
        }
        pluginLoaders.clear();
    }

    /**
     * Every folder of the plugin directory, loaded or failed, in the order they were loaded; empty
     * when there is no plugin directory.
     */
    public List<LoadedPlugin> plugins() {
        return Collections.unmodifiableList(new ArrayList<>(plugins));
    }

    /** Whether a plugin directory was searched, so that {@link #plugins()} is worth reporting. */
    public boolean hasPluginDirectory() {
        return hasPluginDirectory;
    }

    /** All discovered sources, in discovery order. */
    public List<LoadedSource> all() {
        return Collections.unmodifiableList(new ArrayList<>(sources.values()));
    }

    /** Sources that can be used (running or about to be started), in discovery order. */
    public List<LoadedSource> usable() {
        List<LoadedSource> usable = new ArrayList<>();
        for (LoadedSource s : sources.values()) {
            if (s.state() == LoadedSource.State.RUNNING || s.state() == LoadedSource.State.STOPPED) {
                usable.add(s);
            }
        }
        return usable;
    }

    /**
     * The catalogs of the sources that are not disabled, in discovery order: those of a start, and
     * so what {@code GET /api/schema} and {@code --print-schema} describe. A source that failed to
     * start keeps its place, so that the schema doesn't depend on whether its start went well.
     */
    public List<EventCatalog> enabledCatalogs() {
        List<EventCatalog> catalogs = new ArrayList<>();
        for (LoadedSource s : sources.values()) {
            if (s.state() != LoadedSource.State.DISABLED) {
                s.catalog().ifPresent(catalogs::add);
            }
        }
        return catalogs;
    }

    private static Optional<String> skipped(PluginClassLoader plugin, String problem) {
        if (plugin == null) {
            LOG.error("{}; it is skipped", problem);
        }
        return Optional.of(problem);
    }

    private static boolean enabled(Config config, String category) {
        Config own = sourceConfig(config, category);
        try {
            return !own.hasPath("enabled") || own.getBoolean("enabled");
        } catch (ConfigException e) {
            throw new InvalidSettingsException(String.format("%s: %s.%s.enabled must be true or false",
                    e.origin() == null ? "configuration" : e.origin().description(), SOURCES, category));
        }
    }

    private static Config sourceConfig(Config config, String category) {
        String path = SOURCES + "." + category;
        return config.hasPath(path) ? config.getConfig(path) : ConfigFactory.empty();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        // "com/example/greeting/Greeter" alone doesn't say that a class or method is missing.
        return e instanceof LinkageError ? e.getClass().getSimpleName() + ": " + message : message;
    }

    private static final class Context implements SourceContext {
        private final String category;
        private final EventEmitter emitter;
        private final Config config;

        Context(String category, EventEmitter emitter, Config config) {
            this.category = category;
            this.emitter = emitter;
            this.config = config;
        }

        @Override
        public String category() {
            return category;
        }

        @Override
        public EventEmitter emitter() {
            return emitter;
        }

        @Override
        public Config config() {
            return config;
        }
    }
}
