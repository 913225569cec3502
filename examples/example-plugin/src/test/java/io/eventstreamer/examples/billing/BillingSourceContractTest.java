package io.eventstreamer.examples.billing;

import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.testkit.EventSourceContractTest;
import java.nio.file.Path;
import java.util.Optional;

/** The checks every source passes, from the SPI's contract test kit. */
class BillingSourceContractTest extends EventSourceContractTest {
    @Override
    protected EventSource createSource() {
        return new BillingSource();
    }

    /** The module's README documents each event type; the kit checks it against the catalog. */
    @Override
    protected Optional<Path> eventsDocument() {
        return Optional.of(Path.of("README.md"));
    }
}
