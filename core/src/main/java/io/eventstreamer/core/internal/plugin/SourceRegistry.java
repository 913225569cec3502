package io.eventstreamer.core.internal.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.InvalidSettingsException;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.SourceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Discovers {@link EventSource}s with {@link ServiceLoader}, starts the enabled ones and keeps
 * their state. A source that fails in any way is recorded as failed; nothing it does stops the
 * host or another source.
 */
public final class SourceRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SourceRegistry.class);
    private static final String SOURCES = "event-streamer.sources";

    private final Map<String, LoadedSource> sources = new LinkedHashMap<>();

    /** Finds every source on the class loader and reads its catalog; starts nothing yet. */
    public static SourceRegistry discover(ClassLoader loader, Config config) {
        SourceRegistry registry = new SourceRegistry();
        ServiceLoader<EventSource> serviceLoader = ServiceLoader.load(EventSource.class, loader);
        for (ServiceLoader.Provider<EventSource> provider : providers(serviceLoader)) {
            registry.load(provider, config);
        }
        return registry;
    }

    private static List<ServiceLoader.Provider<EventSource>> providers(ServiceLoader<EventSource> loader) {
        List<ServiceLoader.Provider<EventSource>> found = new ArrayList<>();
        var iterator = loader.stream().iterator();
        while (true) {
            try {
                if (!iterator.hasNext()) {
                    return found;
                }
                found.add(iterator.next());
            } catch (ServiceConfigurationError | LinkageError e) {
                LOG.error("An event source could not be loaded and is skipped: {}", e.getMessage());
            }
        }
    }

    private void load(ServiceLoader.Provider<EventSource> provider, Config config) {
        String className = provider.type().getName();
        EventSource source;
        String category;
        EventCatalog catalog;
        try {
            source = provider.get();
            category = source.category();
            catalog = source.catalog();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            LOG.error("Event source {} could not be loaded and is skipped: {}", className, describe(e));
            return;
        }
        if (!EventCatalog.isValidName(category)) {
            LOG.error("Event source {} declares an invalid category '{}' and is skipped", className, category);
            return;
        }
        if (sources.containsKey(category)) {
            LOG.error("Event source {} declares category '{}', which {} already provides; it is skipped",
                    className, category, sources.get(category).source().getClass().getName());
            return;
        }
        if (catalog == null || !category.equals(catalog.category())) {
            String why = catalog == null ? "its catalog is null"
                    : "its catalog is for category '" + catalog.category() + "'";
            sources.put(category, new LoadedSource(category, source, null, LoadedSource.State.FAILED, why));
            LOG.error("Event source '{}' ({}) failed: {}", category, className, why);
            return;
        }
        boolean enabled = enabled(config, category);
        LoadedSource.State state = enabled ? LoadedSource.State.STOPPED : LoadedSource.State.DISABLED;
        sources.put(category, new LoadedSource(category, source, catalog, state, null));
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
                loaded.source().start(new Context(loaded.category(), emitter, own));
                loaded.state(LoadedSource.State.RUNNING);
                LOG.info("Event source '{}' started", loaded.category());
            } catch (Exception | LinkageError e) {
                loaded.failed(describe(e));
                LOG.error("Event source '{}' failed to start: {}", loaded.category(), describe(e));
                LOG.debug("Event source '{}' start failure", loaded.category(), e);
            }
        }
    }

    /** Stops every source that was started (including the failed ones, so they can clean up). */
    public void stop() {
        for (LoadedSource loaded : sources.values()) {
            if (loaded.state() == LoadedSource.State.DISABLED || loaded.source() == null) {
                continue;
            }
            try {
                loaded.source().stop();
            } catch (RuntimeException | LinkageError e) {
                LOG.warn("Event source '{}' failed to stop cleanly: {}", loaded.category(), describe(e));
            }
            if (loaded.state() == LoadedSource.State.RUNNING) {
                loaded.state(LoadedSource.State.STOPPED);
            }
        }
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
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
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
