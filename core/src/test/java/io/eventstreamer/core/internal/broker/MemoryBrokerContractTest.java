package io.eventstreamer.core.internal.broker;

import io.eventstreamer.core.internal.config.Settings;

/** The memory broker passes the broker contract: each broker keeps its own events, numbered in its epoch. */
class MemoryBrokerContractTest extends BrokerContract {
    private long epoch = System.currentTimeMillis();

    @Override
    protected Broker newBroker(Settings settings) {
        // A new host is a new epoch.
        return new MemoryBroker(epoch++, () -> 0);
    }

    @Override
    protected boolean sharesEvents() {
        return false;
    }
}
