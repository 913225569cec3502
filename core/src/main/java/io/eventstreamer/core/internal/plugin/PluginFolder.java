package io.eventstreamer.core.internal.plugin;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * One folder of the plugin directory: a plugin, made of the jars directly inside it (its own jar
 * and its libraries), loaded by a class loader of its own.
 *
 * <pre>
 * plugins/
 * ├── kafka-dlq/
 * │   ├── event-streamer-kafka-dlq-1.0.jar
 * │   ├── kafka-clients-3.9.1.jar
 * │   └── zstd-jni-1.5.6-4.jar
 * └── billing/
 *     └── billing-source-1.0.jar
 * </pre>
 */
public final class PluginFolder {
    private static final String REFERENCE = "reference.conf";

    private final String name;
    private final Path directory;
    private final List<Path> jars;
    private final Config reference;
    private final String problem;

    private PluginFolder(String name, Path directory, List<Path> jars, Config reference, String problem) {
        this.name = name;
        this.directory = directory;
        this.jars = List.copyOf(jars);
        this.reference = reference;
        this.problem = problem;
    }

    /**
     * The plugin folders of {@code directory}, sorted by name: each directory in it that is not
     * hidden. Files beside them (a README) are not plugins and are left alone. A folder that can't
     * be a plugin (no jar, a jar that can't be read, an invalid reference.conf) is listed with its
     * {@link #problem()}.
     *
     * @throws UncheckedIOException when the directory can't be listed
     */
    public static List<PluginFolder> list(Path directory) {
        List<PluginFolder> folders = new ArrayList<>();
        for (Path entry : sorted(directory, "*")) {
            String name = entry.getFileName().toString();
            if (Files.isDirectory(entry) && !name.startsWith(".")) {
                folders.add(read(name, entry));
            }
        }
        return folders;
    }

    private static PluginFolder read(String name, Path directory) {
        List<Path> jars = new ArrayList<>();
        try {
            for (Path jar : sorted(directory, "*.jar")) {
                if (Files.isRegularFile(jar)) {
                    jars.add(jar);
                }
            }
        } catch (UncheckedIOException e) {
            return new PluginFolder(name, directory, jars, ConfigFactory.empty(), e.getMessage());
        }
        if (jars.isEmpty()) {
            return new PluginFolder(name, directory, jars, ConfigFactory.empty(),
                    "it holds no jar (a plugin folder holds the plugin's jar and the jars of its libraries)");
        }
        Config reference = ConfigFactory.empty();
        for (Path jar : jars) {
            try {
                reference = reference.withFallback(reference(jar));
            } catch (IOException e) {
                return new PluginFolder(name, directory, jars, ConfigFactory.empty(),
                        String.format("%s can't be read as a jar: %s", jar.getFileName(), e.getMessage()));
            } catch (ConfigException e) {
                return new PluginFolder(name, directory, jars, ConfigFactory.empty(),
                        String.format("the reference.conf of %s is invalid: %s", jar.getFileName(), e.getMessage()));
            }
        }
        return new PluginFolder(name, directory, jars, reference, null);
    }

    /**
     * The {@code reference.conf} files of the usable plugin folders' jars, merged, unresolved: the
     * defaults of the plugins' settings, which a start puts beneath every other configuration.
     * Each value's origin is its jar, e.g. {@code plugins/kafka-dlq/kafka-dlq-1.0.jar!/reference.conf:12}.
     */
    public static Config references(List<PluginFolder> folders) {
        Config merged = ConfigFactory.empty();
        for (PluginFolder folder : folders) {
            merged = merged.withFallback(folder.reference);
        }
        return merged;
    }

    private static Config reference(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            JarEntry entry = file.getJarEntry(REFERENCE);
            if (entry == null) {
                return ConfigFactory.empty();
            }
            ConfigParseOptions options = ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription(jar + "!/" + REFERENCE);
            try (Reader reader = new InputStreamReader(file.getInputStream(entry), StandardCharsets.UTF_8)) {
                return ConfigFactory.parseReader(reader, options);
            }
        }
    }

    /** Why the folder can't be loaded as a plugin, if it can't; its sources are then not looked for. */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** The folder's name, which names the plugin in messages and in {@code GET /api/sources}. */
    public String name() {
        return name;
    }

    public Path directory() {
        return directory;
    }

    /** The jars directly inside the folder, sorted by name; may be empty. */
    public List<Path> jars() {
        return jars;
    }

    /** A class loader for the folder's jars, sharing the SPI of {@code host}; empty without jars. */
    Optional<PluginClassLoader> classLoader(ClassLoader host) {
        if (jars.isEmpty()) {
            return Optional.empty();
        }
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalStateException("a file path is always a URL: " + jar, e);
            }
        }
        return Optional.of(new PluginClassLoader(name, urls, host));
    }

    private static List<Path> sorted(Path directory, String glob) {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, glob)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            throw new UncheckedIOException(String.format("%s could not be listed: %s", directory, e), e);
        }
        entries.sort(null);
        return entries;
    }

    @Override
    public String toString() {
        return directory.toString();
    }
}
