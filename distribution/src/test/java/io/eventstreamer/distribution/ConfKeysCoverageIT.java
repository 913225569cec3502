package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * conf/application.conf shows every setting of core's and each source's reference.conf,
 * commented out, with the default the reference.conf really has.
 *
 * <p>The shown settings are the block of lines that starts with {@code # event-streamer {}: with
 * the first '#' of each line removed, that block is HOCON. Defaults are compared without
 * environment overrides, as written in the files.
 */
class ConfKeysCoverageIT {
    private static final String BLOCK_START = "# event-streamer {";

    private static Path applicationConf;
    private static Map<String, ConfigValue> shown;
    /** Each reference.conf (relative to the project root) with its leaf settings. */
    private static final Map<String, Map<String, ConfigValue>> REFERENCES = new LinkedHashMap<>();

    @BeforeAll
    static void readFiles() throws IOException {
        Path root = Distribution.projectRoot();
        applicationConf = root.resolve("conf/application.conf");
        shown = leaves(ConfigFactory.parseString(commentedOutBlock(applicationConf),
                ConfigParseOptions.defaults().setOriginDescription(applicationConf + " (commented-out settings)")));

        List<Path> modules = new ArrayList<>();
        modules.add(root.resolve("core"));
        try (DirectoryStream<Path> sources = Files.newDirectoryStream(root, "sources-*")) {
            sources.forEach(modules::add);
        }
        modules.sort(null);
        for (Path module : modules) {
            Path reference = module.resolve("src/main/resources/reference.conf");
            assertThat(reference).as("every source ships a reference.conf with at least 'enabled'").isRegularFile();
            Config config = ConfigFactory.parseFile(reference.toFile(), ConfigParseOptions.defaults().setAllowMissing(false))
                    .resolve(ConfigResolveOptions.noSystem());
            REFERENCES.put(root.relativize(reference).toString(), leaves(config));
        }
    }

    @Test
    @DisplayName("every key of every reference.conf is shown in conf/application.conf")
    void everyReferenceKeyIsShown() {
        List<String> missing = new ArrayList<>();
        REFERENCES.forEach((file, keys) -> {
            for (String key : keys.keySet()) {
                if (!isShown(key)) {
                    missing.add(key + " (from " + file + ")");
                }
            }
        });
        assertThat(missing).as("settings of reference.conf files missing from %s; add each as a commented-out line "
                + "with its default and meaning, inside '# event-streamer {'", applicationConf).isEmpty();
    }

    @Test
    @DisplayName("every default shown in conf/application.conf is the one in reference.conf")
    void shownDefaultsMatch() {
        List<String> different = new ArrayList<>();
        REFERENCES.forEach((file, keys) -> keys.forEach((key, value) -> {
            ConfigValue shownValue = shown.get(key);
            if (shownValue != null && !Objects.equals(shownValue.unwrapped(), value.unwrapped())) {
                different.add(String.format("%s: application.conf shows %s, %s has %s",
                        key, shownValue.render(), file, value.render()));
            }
        }));
        assertThat(different).as("defaults in %s that differ from reference.conf", applicationConf).isEmpty();
    }

    @Test
    @DisplayName("conf/application.conf shows no setting that no reference.conf defines")
    void noUnknownKeysShown() {
        TreeSet<String> unknown = new TreeSet<>(shown.keySet());
        REFERENCES.values().forEach(keys -> unknown.removeAll(keys.keySet()));
        assertThat(unknown).as("settings in %s that no reference.conf defines (renamed or removed?)", applicationConf)
                .isEmpty();
    }

    @Test
    @DisplayName("as shipped, conf/application.conf sets nothing: the defaults live in reference.conf only")
    void shippedFileSetsNothing() {
        Config active = ConfigFactory.parseFile(applicationConf.toFile());
        assertThat(active.root().keySet()).as("settings not commented out in %s", applicationConf).isEmpty();
    }

    /** Whether a setting is shown, or, for an empty object in reference.conf, shown with content. */
    private static boolean isShown(String key) {
        return shown.containsKey(key) || shown.keySet().stream().anyMatch(k -> k.startsWith(key + "."));
    }

    /** The lines from "# event-streamer {" to the end of the comment block, each without its first '#'. */
    private static String commentedOutBlock(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, UTF_8);
        int start = lines.indexOf(BLOCK_START);
        assertThat(start).as("a line '%s' in %s", BLOCK_START, file).isNotNegative();
        StringBuilder block = new StringBuilder();
        for (String line : lines.subList(start, lines.size())) {
            if (!line.startsWith("#")) {
                break;
            }
            block.append(line.substring(1)).append('\n');
        }
        return block.toString();
    }

    /**
     * Every leaf setting by its path: values that are not objects, and empty objects (such as
     * core's {@code sources {}}), which a reader should see too.
     */
    private static Map<String, ConfigValue> leaves(Config config) {
        Map<String, ConfigValue> leaves = new LinkedHashMap<>();
        collect(new ArrayList<>(), config.root(), leaves);
        return leaves;
    }

    private static void collect(List<String> path, ConfigObject object, Map<String, ConfigValue> leaves) {
        if (object.isEmpty() && !path.isEmpty()) {
            leaves.put(ConfigUtil.joinPath(path), object);
        }
        object.forEach((key, value) -> {
            List<String> child = new ArrayList<>(path);
            child.add(key);
            if (value instanceof ConfigObject) {
                collect(child, (ConfigObject) value, leaves);
            } else {
                leaves.put(ConfigUtil.joinPath(child), value);
            }
        });
    }
}
