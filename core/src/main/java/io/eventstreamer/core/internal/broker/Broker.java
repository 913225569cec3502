package io.eventstreamer.core.internal.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Where published events go before they reach clients: {@link MemoryBroker} keeps them in this
 * host, {@link RedisBroker} shares them with other hosts through Redis Streams.
 */
public interface Broker {
    /** "memory" or "redis". */
    String type();

    /** Starts (connecting in the background); {@code nodeId} names this host in the cluster view. */
    void start(String nodeId);

    /** Whether publishing can succeed now. */
    boolean available();

    /**
     * The cluster view: {@code {"broker":..,"available":..,"nodes":[{"nodeId":..,"clients":..,
     * "updatedAt":..}]}}.
     *
     * @throws io.eventstreamer.core.internal.fanout.BrokerUnavailableException when it can't be read
     */
    ObjectNode clusterView();

    void stop();
}
