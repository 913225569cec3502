package io.eventstreamer.spi;

import io.eventstreamer.spi.testkit.EventSourceContractTest;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The contract kit passes for a well-formed source, installed as a plugin would be. */
class SampleSourceContractTest extends EventSourceContractTest {
    @TempDir
    static Path pluginDir;
    private static PluginDirectory plugin;

    @BeforeAll
    static void installPlugin() {
        plugin = PluginDirectory.install(pluginDir, SampleSource.class, SampleSource.REFERENCE_CONF);
    }

    @Override
    protected EventSource createSource() {
        return plugin.newSource();
    }

    @Override
    protected Optional<Path> eventsDocument() {
        return Optional.of(Path.of("src/test/resources/sample-events.md"));
    }
}
