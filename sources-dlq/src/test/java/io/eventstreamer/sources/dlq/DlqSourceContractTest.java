package io.eventstreamer.sources.dlq;

import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.testkit.EventSourceContractTest;
import java.nio.file.Path;
import java.util.Optional;

class DlqSourceContractTest extends EventSourceContractTest {
    @Override
    protected EventSource createSource() {
        return new DlqSource();
    }

    @Override
    protected Optional<Path> eventsDocument() {
        return Optional.of(Path.of("../docs/events.md"));
    }
}
