package io.eventstreamer.sources.errorrecovery;

import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.testkit.EventSourceContractTest;
import java.nio.file.Path;
import java.util.Optional;

class ErrorRecoverySourceContractTest extends EventSourceContractTest {
    @Override
    protected EventSource createSource() {
        return new ErrorRecoverySource();
    }

    @Override
    protected Optional<Path> eventsDocument() {
        return Optional.of(Path.of("../docs/events.md"));
    }
}
