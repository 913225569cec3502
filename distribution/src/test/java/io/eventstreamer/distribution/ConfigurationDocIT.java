package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** docs/configuration.md documents every key of core's and every shipped source's reference.conf. */
class ConfigurationDocIT {

    @Test
    @DisplayName("every reference.conf key appears in docs/configuration.md")
    void everyKeyIsDocumented() throws IOException {
        Path root = Distribution.projectRoot();
        String doc = Files.readString(root.resolve("docs/configuration.md"), UTF_8);
        List<Path> references = new ArrayList<>();
        references.add(root.resolve("core/src/main/resources/reference.conf"));
        try (DirectoryStream<Path> sources = Files.newDirectoryStream(root, "sources-*")) {
            for (Path module : sources) {
                references.add(module.resolve("src/main/resources/reference.conf"));
            }
        }
        List<String> missing = new ArrayList<>();
        for (Path reference : references) {
            Config config = ConfigFactory.parseFile(reference.toFile());
            for (Map.Entry<String, ?> entry : config.entrySet()) {
                if (!doc.contains("`" + entry.getKey() + "`")) {
                    missing.add(entry.getKey() + " (" + root.relativize(reference) + ")");
                }
            }
        }
        assertThat(missing).as("keys missing from docs/configuration.md (write each as `full.key.path`)").isEmpty();
    }
}
