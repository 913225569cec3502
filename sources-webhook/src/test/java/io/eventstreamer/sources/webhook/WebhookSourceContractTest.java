package io.eventstreamer.sources.webhook;

import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.testkit.EventSourceContractTest;
import java.nio.file.Path;
import java.util.Optional;

class WebhookSourceContractTest extends EventSourceContractTest {
    @Override
    protected EventSource createSource() {
        return new WebhookSource();
    }

    @Override
    protected Optional<Path> eventsDocument() {
        return Optional.of(Path.of("../docs/events.md"));
    }
}
