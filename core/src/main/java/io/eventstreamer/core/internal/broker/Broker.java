package io.eventstreamer.core.internal.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * Where published events go before they reach clients: {@link MemoryBroker} keeps them in this
 * host, {@link RedisBroker} shares them with other hosts through Redis Streams.
 *
 * <p>The host starts the broker before it opens its port, waits a bounded time for it to be
 * {@link #ready}, and accepts neither WebSocket upgrades nor publishes until it is.
 */
public interface Broker {
    /** "memory" or "redis". */
    String type();

    /** Starts connecting in the background. */
    void start();

    /**
     * Waits until the first attempt to connect has ended, successfully or not, but no longer than
     * {@code timeout}.
     *
     * @return whether the broker is {@link #ready} now
     */
    boolean awaitFirstAttempt(Duration timeout) throws InterruptedException;

    /** Names this host in the cluster view, once its port is known. */
    void announce(String nodeId);

    /**
     * Whether this host can deliver every event published from now on: connected, and every
     * category's read position fixed. Once true it stays true (a later outage keeps the positions,
     * and the reader continues after them when the broker is back).
     */
    boolean ready();

    /**
     * What the host waits for while not {@link #ready}, for the 503 answers (which anyone who can
     * reach the port may read: no addresses); null when ready.
     */
    String waitingFor();

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
