package io.eventstreamer.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.spi.testkit.EventSourceContractTest;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract kit fails for sources that break the contract, and its fake emitter behaves like the host. */
class EventSourceContractKitTest {

    @Test
    void catchesCategoryMismatch() {
        EventSourceContractTest kit = kitFor(new FixedSource("sample", SampleSource.sampleCatalog("other", "d")));
        assertThatThrownBy(kit::catalogCategoryMatchesSourceCategory)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("other");
    }

    @Test
    void catchesUndescribedField() {
        EventSourceContractTest kit = kitFor(new FixedSource("sample", SampleSource.sampleCatalog("sample", " ")));
        assertThatThrownBy(kit::everyEventTypeAndFieldIsDescribed)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("thing-happened.count");
    }

    @Test
    void catchesFieldNameThatIsNotCamelCase() {
        EventCatalog catalog = EventCatalog.builder("sample")
                .add(EventType.builder("thing-happened", "d").required("thing_id", JsonType.STRING, "d").build())
                .build();
        EventSourceContractTest kit = kitFor(new FixedSource("sample", catalog));
        assertThatThrownBy(kit::namesAreWellFormedAndUnique)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("thing_id");
    }

    @Test
    void catchesSourceMissingFromMetaInfServices() {
        EventSourceContractTest kit = kitFor(new FixedSource("sample", new SampleSource().catalog()));
        assertThatThrownBy(kit::sourceIsDiscoveredByServiceLoader)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("is " + FixedSource.class.getName() + " listed in META-INF/services");
    }

    @Test
    void catchesSourceThatFailsToStart() {
        EventSourceContractTest kit = kitFor(new FixedSource("sample", new SampleSource().catalog()) {
            @Override
            public void start(SourceContext context) {
                throw new IllegalStateException("no connection to the broker");
            }
        });
        assertThatThrownBy(kit::startsAndStopsCleanly)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("no connection to the broker");
    }

    @Test
    void catchesMissingReferenceConf() {
        EventSourceContractTest kit = kitFor(new FixedSource("sample", new SampleSource().catalog()));
        assertThatThrownBy(kit::referenceConfDeclaresEnabled)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining(FixedSource.class.getName() + " has no reference.conf of its own");
    }

    @Test
    void catchesMissingEnabledSwitch(@TempDir Path pluginDir) {
        PluginDirectory plugin = PluginDirectory.install(pluginDir, SampleSource.class,
                "event-streamer.sources.sample { interval = 5s }");
        EventSourceContractTest kit = kitFor(plugin.newSource());
        assertThatThrownBy(kit::referenceConfDeclaresEnabled)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("declares event-streamer.sources.sample.enabled");
    }

    @Test
    @DisplayName("documentation drift is reported: missing and undeclared types, field table, invalid examples")
    void catchesDocumentationDrift() {
        EventSourceContractTest kit = new EventSourceContractTest() {
            @Override
            protected EventSource createSource() {
                return new SampleSource();
            }

            @Override
            protected Optional<Path> eventsDocument() {
                return Optional.of(Path.of("src/test/resources/sample-events-drifted.md"));
            }
        };
        assertThatThrownBy(kit::documentationMatchesTheCatalog)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("'thing-vanished', which is not in the catalog")
                .hasMessageContaining("the field table of 'thing-happened'")
                .hasMessageContaining("missing required field happenedAt");
    }

    @Test
    void strictRecordingEmitterRefusesUndeclaredFieldsAndNonJsonValues() {
        RecordingEmitter strict = RecordingEmitter.strict(new SampleSource().catalog());
        assertThatThrownBy(() -> strict.emit("thing-happened",
                Map.of("thingId", "t", "happenedAt", "2026-01-01T00:00:00Z", "cuont", 1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("event 'thing-happened' has undeclared field 'cuont' (declared: [thingId, happenedAt, count])");
        assertThatThrownBy(() -> strict.emit("thing-happened",
                Map.of("thingId", "t", "happenedAt", "2026-01-01T00:00:00Z", "count", 1, "x", Map.of("at", Instant.EPOCH))))
                .hasMessageContaining("thing-happened.x.at is a java.time.Instant, which is not a JSON value");

        RecordingEmitter lenient = RecordingEmitter.of(new SampleSource().catalog());
        String id = lenient.emit("thing-happened", Map.of("thingId", "t", "happenedAt", "2026-01-01T00:00:00Z", "extra", true));
        assertThat(id).isEqualTo("1");
        assertThat(lenient.lastEvent().payload()).containsEntry("extra", true);
    }

    private static EventSourceContractTest kitFor(EventSource source) {
        return new EventSourceContractTest() {
            @Override
            protected EventSource createSource() {
                return source;
            }
        };
    }

    /** A source that is not registered in META-INF/services. */
    private static class FixedSource implements EventSource {
        private final String category;
        private final EventCatalog catalog;

        FixedSource(String category, EventCatalog catalog) {
            this.category = category;
            this.catalog = catalog;
        }

        @Override
        public String category() {
            return category;
        }

        @Override
        public EventCatalog catalog() {
            return catalog;
        }
    }
}
