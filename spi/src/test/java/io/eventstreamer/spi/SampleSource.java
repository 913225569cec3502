package io.eventstreamer.spi;

/**
 * A well-formed source for the SPI's own tests of the contract kit. It is registered only in the
 * plugin directories that those tests lay out ({@link PluginDirectory}).
 */
public final class SampleSource implements EventSource {
    static final String CATEGORY = "sample";
    static final String REFERENCE_CONF = "event-streamer.sources.sample {\n  enabled = true\n}\n";

    static EventCatalog sampleCatalog(String category, String fieldDescription) {
        return EventCatalog.builder(category)
                .add(EventType.builder("thing-happened", "A thing happened")
                        .required("thingId", JsonType.STRING, "Id of the thing")
                        .requiredTimestamp("happenedAt", "When it happened")
                        .optional("count", JsonType.INTEGER, fieldDescription)
                        .coalesceKey("thingId")
                        .build())
                .build();
    }

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public EventCatalog catalog() {
        return sampleCatalog(CATEGORY, "How many times");
    }
}
