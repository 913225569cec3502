package io.eventstreamer.sources.scheduler;

import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.testkit.EventSourceContractTest;
import java.nio.file.Path;
import java.util.Optional;

class SchedulerSourceContractTest extends EventSourceContractTest {
    @Override
    protected EventSource createSource() {
        return new SchedulerSource();
    }

    @Override
    protected Optional<Path> eventsDocument() {
        return Optional.of(Path.of("../docs/events.md"));
    }
}
