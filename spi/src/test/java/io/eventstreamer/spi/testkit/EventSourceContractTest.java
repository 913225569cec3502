package io.eventstreamer.spi.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.FieldSpec;
import io.eventstreamer.spi.InvalidEventException;
import io.eventstreamer.spi.SourceContext;
import java.io.IOException;
import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EventSource} must meet, as a test kit that each source module runs
 * (after Micrometer's {@code MeterRegistryCompatibilityKit}).
 *
 * <p>Extend it and say how to create the source; every test here then runs against it:
 *
 * <pre>{@code
 * class SchedulerSourceContractTest extends EventSourceContractTest {
 *     @Override
 *     protected EventSource createSource() {
 *         return new SchedulerSource();
 *     }
 * }
 * }</pre>
 *
 * <p>Depend on it with {@code <artifactId>event-streamer-spi</artifactId><type>test-jar</type>}
 * in test scope, together with JUnit Jupiter and AssertJ. The catalog is exercised through a
 * {@link RecordingEmitter}, which validates as the host does.
 */
public abstract class EventSourceContractTest {
    private static final Pattern FIELD_NAME = Pattern.compile("[a-z][a-zA-Z0-9]*");

    /** A new instance of the source under test, created the way the host creates it. */
    protected abstract EventSource createSource();

    /**
     * The Markdown file that documents this source's event types, checked against the catalog by
     * {@link #documentationMatchesTheCatalog()}; empty (the default) skips that check.
     */
    protected Optional<Path> eventsDocument() {
        return Optional.empty();
    }

    @Test
    @DisplayName("the catalog's category is the source's category, and a well-formed name")
    public void catalogCategoryMatchesSourceCategory() {
        EventSource source = createSource();
        assertThat(source.category()).as("category of %s", source.getClass().getName())
                .matches(EventCatalog::isValidName, "lower-case words joined by '-'");
        assertThat(source.catalog().category()).as("category of the catalog of %s", source.getClass().getName())
                .isEqualTo(source.category());
    }

    @Test
    @DisplayName("event type names are well formed and unique, field names are camelCase and unique")
    public void namesAreWellFormedAndUnique() {
        List<String> problems = new ArrayList<>();
        Set<String> typeNames = new HashSet<>();
        for (EventType type : createSource().catalog().eventTypes()) {
            if (!EventCatalog.isValidName(type.name()) || !typeNames.add(type.name())) {
                problems.add(String.format("event type name '%s' is malformed or repeated", type.name()));
            }
            Set<String> fieldNames = new HashSet<>();
            for (FieldSpec field : type.fields()) {
                if (!FIELD_NAME.matcher(field.name()).matches() || !fieldNames.add(field.name())) {
                    problems.add(String.format("field '%s' of '%s' is not camelCase or is repeated",
                            field.name(), type.name()));
                }
            }
            type.coalesceKey().ifPresent(key -> {
                if (!type.field(key).map(FieldSpec::required).orElse(false)) {
                    problems.add(String.format("coalesce key '%s' of '%s' is not a required field", key, type.name()));
                }
            });
        }
        assertThat(problems).as("naming problems").isEmpty();
    }

    @Test
    @DisplayName("every event type and every field has a description")
    public void everyEventTypeAndFieldIsDescribed() {
        List<String> undescribed = new ArrayList<>();
        for (EventType type : createSource().catalog().eventTypes()) {
            if (type.description().isBlank()) {
                undescribed.add(type.name());
            }
            for (FieldSpec field : type.fields()) {
                if (field.description().isBlank()) {
                    undescribed.add(type.name() + "." + field.name());
                }
            }
        }
        assertThat(undescribed).as("event types and fields without a description").isEmpty();
    }

    @Test
    @DisplayName("the source is registered in META-INF/services and found by ServiceLoader")
    public void sourceIsDiscoveredByServiceLoader() {
        Class<? extends EventSource> sourceClass = createSource().getClass();
        List<Class<?>> discovered = new ArrayList<>();
        ServiceLoader.load(EventSource.class, sourceClass.getClassLoader()).stream()
                .forEach(provider -> discovered.add(provider.type()));
        assertThat(discovered)
                .as("EventSource providers found by ServiceLoader (is %s listed in META-INF/services/%s?)",
                        sourceClass.getName(), EventSource.class.getName())
                .contains(sourceClass);
    }

    @Test
    @DisplayName("an emitter over the catalog refuses an unknown event type")
    public void emitterRefusesUnknownEventType() {
        EventEmitter emitter = RecordingEmitter.of(createSource().catalog());
        assertThatThrownBy(() -> emitter.emit("no-such-event-type", Map.of()))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("no-such-event-type")
                .extracting(e -> ((InvalidEventException) e).reason())
                .isEqualTo(InvalidEventException.Reason.UNKNOWN_EVENT_TYPE);
    }

    @Test
    @DisplayName("an emitter over the catalog refuses an event without any one of its required fields")
    public void emitterRefusesEachMissingRequiredField() {
        EventCatalog catalog = createSource().catalog();
        EventEmitter emitter = RecordingEmitter.of(catalog);
        for (EventType type : catalog.eventTypes()) {
            for (FieldSpec field : type.fields()) {
                if (!field.required()) {
                    continue;
                }
                Map<String, Object> payload = SamplePayloads.requiredFieldsOf(type);
                payload.remove(field.name());
                assertThatThrownBy(() -> emitter.emit(type.name(), payload))
                        .as("%s without %s", type.name(), field.name())
                        .isInstanceOf(InvalidEventException.class)
                        .hasMessageContaining(field.name())
                        .extracting(e -> ((InvalidEventException) e).reason())
                        .isEqualTo(InvalidEventException.Reason.MISSING_FIELD);
            }
        }
    }

    @Test
    @DisplayName("an emitter over the catalog accepts every event type with just its required fields")
    public void emitterAcceptsEveryEventTypeWithItsRequiredFields() {
        EventCatalog catalog = createSource().catalog();
        RecordingEmitter emitter = RecordingEmitter.strict(catalog);
        for (EventType type : catalog.eventTypes()) {
            assertThatCode(() -> emitter.emit(type.name(), SamplePayloads.requiredFieldsOf(type)))
                    .as(type.name()).doesNotThrowAnyException();
        }
        assertThat(emitter.events()).hasSameSizeAs(catalog.eventTypes());
    }

    @Test
    @DisplayName("the source starts with its emitter and config subtree, and stops cleanly")
    public void startsAndStopsCleanly() {
        EventSource source = createSource();
        RecordingEmitter emitter = RecordingEmitter.of(source.catalog());
        Config all = ConfigFactory.load(source.getClass().getClassLoader());
        Config config = all.hasPath(configPath(source)) ? all.getConfig(configPath(source)) : ConfigFactory.empty();
        SourceContext context = new FakeSourceContext(source.category(), emitter, config);
        assertThatCode(() -> source.start(context)).as("start").doesNotThrowAnyException();
        assertThatCode(source::stop).as("stop").doesNotThrowAnyException();
    }

    @Test
    @DisplayName("the source's own reference.conf declares the boolean 'enabled' switch")
    public void referenceConfDeclaresEnabled() throws IOException {
        EventSource source = createSource();
        URL ownReference = ownResource(source.getClass(), "reference.conf");
        Config reference = ConfigFactory.parseURL(ownReference);
        String key = configPath(source) + ".enabled";
        assertThat(reference.hasPath(key)).as("%s declares %s", ownReference, key).isTrue();
        assertThat(reference.getValue(key).valueType()).as("type of %s", key).isEqualTo(ConfigValueType.BOOLEAN);
        assertThat(ConfigFactory.defaultReference(source.getClass().getClassLoader()).getBoolean(key))
                .as("default of %s", key).isTrue();
    }

    @Test
    @DisplayName("the events document matches the catalog: every type, every field, valid examples")
    public void documentationMatchesTheCatalog() throws IOException {
        Optional<Path> document = eventsDocument();
        Assumptions.assumeTrue(document.isPresent(), "no events document to check");
        List<String> problems = EventsDocument.read(document.get()).problemsWith(createSource().catalog());
        assertThat(problems).as("differences between %s and the catalog", document.get()).isEmpty();
    }

    private static String configPath(EventSource source) {
        return "event-streamer.sources." + source.category();
    }

    /** The resource of that name in the jar or directory that {@code owner} was loaded from. */
    private static URL ownResource(Class<?> owner, String name) throws IOException {
        String location = owner.getProtectionDomain().getCodeSource().getLocation().toString();
        String expected = location.endsWith("/") ? location + name : "jar:" + location + "!/" + name;
        List<URL> found = Collections.list(owner.getClassLoader().getResources(name));
        for (URL url : found) {
            if (url.toString().equals(expected)) {
                return url;
            }
        }
        return fail("%s has no %s of its own (expected %s, found %s)", owner.getName(), name, expected, found);
    }

    private static final class FakeSourceContext implements SourceContext {
        private final String category;
        private final EventEmitter emitter;
        private final Config config;

        FakeSourceContext(String category, EventEmitter emitter, Config config) {
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
