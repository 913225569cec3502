package io.eventstreamer.core.internal.plugin;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Enumeration;
import java.util.List;

/**
 * The class loader of one plugin folder: its jars first, so that each plugin brings the versions
 * of the libraries it was built with, whatever other plugins or the host use.
 *
 * <p>Its parent is the platform class loader, so a plugin sees the JDK and not the host's class
 * path. The packages a plugin shares with the host, because the SPI's signatures name them or
 * because they are what a plugin logs with ({@link #SHARED_PACKAGES}), come from the host's class
 * loader only: a copy bundled in a plugin jar is never loaded, so that an {@code EventSource} of
 * the plugin is an {@code EventSource} of the host. This is Trino's {@code PluginClassLoader}.
 */
final class PluginClassLoader extends URLClassLoader {
    /**
     * What a plugin shares with the host: the SPI, Typesafe Config (a source's settings are a
     * {@code Config}) and the SLF4J API (a plugin logs into the host's log).
     */
    static final List<String> SHARED_PACKAGES = List.of("io.eventstreamer.spi.", "com.typesafe.config.", "org.slf4j.");

    private static final List<String> SHARED_RESOURCES = SHARED_PACKAGES.stream()
            .map(name -> name.replace('.', '/'))
            .toList();

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final String pluginName;
    private final ClassLoader host;

    /**
     * @param pluginName the folder's name, for messages
     * @param jars the folder's jars, searched in this order
     * @param host the class loader of the SPI, which every shared class comes from
     */
    PluginClassLoader(String pluginName, List<URL> jars, ClassLoader host) {
        super("plugin-" + pluginName, jars.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
        this.pluginName = requireNonNull(pluginName, "pluginName is null");
        this.host = requireNonNull(host, "host is null");
    }

    String pluginName() {
        return pluginName;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> loaded = findLoadedClass(name);
            if (loaded == null && isShared(name, SHARED_PACKAGES)) {
                loaded = host.loadClass(name);
            }
            if (loaded == null) {
                // The platform class loader first (the JDK), then the plugin's jars.
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(loaded);
            }
            return loaded;
        }
    }

    @Override
    public URL getResource(String name) {
        if (isShared(name, SHARED_RESOURCES)) {
            return host.getResource(name);
        }
        return super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (isShared(name, SHARED_RESOURCES)) {
            return host.getResources(name);
        }
        return super.getResources(name);
    }

    private static boolean isShared(String name, List<String> prefixes) {
        for (String prefix : prefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "PluginClassLoader[" + pluginName + "]";
    }
}
