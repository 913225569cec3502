package io.eventstreamer.core.internal.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads the application's configuration the way Typesafe Config's {@code ConfigFactory.load()}
 * does, from the file named with {@code --config} when there is one.
 */
public final class ApplicationConfig {
    private static final String CONFIG_FILE = "config.file";

    private ApplicationConfig() {
    }

    /**
     * The configuration: system properties, then {@code configFile} (or whatever
     * {@code -Dconfig.file}, {@code config.resource} or {@code config.url} names, or
     * {@code application.conf}), then the {@code reference.conf} defaults.
     *
     * @throws ConfigFileException when the configuration file doesn't exist or can't be read
     * @throws com.typesafe.config.ConfigException when it isn't valid HOCON
     */
    public static Config load(Optional<Path> configFile) {
        configFile.ifPresent(file -> {
            // --config replaces whatever the launcher or JAVA_OPTS named: Typesafe Config refuses
            // more than one of these.
            System.setProperty(CONFIG_FILE, file.toAbsolutePath().normalize().toString());
            System.clearProperty("config.resource");
            System.clearProperty("config.url");
        });
        String named = System.getProperty(CONFIG_FILE);
        if (named != null) {
            requireReadableFile(Path.of(named));
        }
        ConfigFactory.invalidateCaches();
        return ConfigFactory.load();
    }

    private static void requireReadableFile(Path file) {
        if (!Files.exists(file)) {
            throw new ConfigFileException(String.format("configuration file %s does not exist", file));
        }
        if (!Files.isRegularFile(file)) {
            throw new ConfigFileException(String.format("configuration file %s is not a regular file", file));
        }
        if (!Files.isReadable(file)) {
            throw new ConfigFileException(String.format("configuration file %s is not readable", file));
        }
    }
}
