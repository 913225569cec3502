package io.eventstreamer.core.internal.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.json.Json;
import java.time.Duration;
import java.util.function.IntSupplier;

/** The default broker: events stay in this host, whose channels number them and keep history. */
public final class MemoryBroker implements Broker {
    private final IntSupplier clientCount;
    private volatile String nodeId = "";

    public MemoryBroker(IntSupplier clientCount) {
        this.clientCount = clientCount;
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public void start() {
    }

    @Override
    public boolean awaitFirstAttempt(Duration timeout) {
        return true;
    }

    @Override
    public void announce(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public String waitingFor() {
        return null;
    }

    @Override
    public boolean available() {
        return true;
    }

    @Override
    public ObjectNode clusterView() {
        ObjectNode view = Json.object();
        view.put("broker", type());
        view.put("available", true);
        ObjectNode self = view.putArray("nodes").addObject();
        self.put("nodeId", nodeId);
        self.put("clients", clientCount.getAsInt());
        self.put("updatedAt", System.currentTimeMillis());
        return view;
    }

    @Override
    public void stop() {
    }
}
