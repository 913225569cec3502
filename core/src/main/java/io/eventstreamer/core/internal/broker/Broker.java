package io.eventstreamer.core.internal.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.config.CategorySettings;
import java.time.Duration;

/**
 * Where published events go before they reach clients, and where they are numbered and kept for
 * resumes: {@link MemoryBroker} keeps them in this host, {@link RedisBroker} shares them with other
 * hosts through Redis Streams. The engine sees a broker only through this interface and one
 * {@link CategoryLog} per category; {@code BrokerContract} in the tests is the kit every broker
 * passes.
 *
 * <p>The host opens every category, starts the broker before it opens its port, waits a bounded
 * time for it to be {@link #ready}, and accepts neither WebSocket upgrades nor publishes until it is.
 */
public interface Broker {
    /** "memory" or "redis". */
    String type();

    /**
     * Opens a category's log, before {@link #start}: what is appended to it reaches {@code reader}
     * in id order. Doesn't call {@code reader} before it returns.
     */
    CategoryLog open(String category, CategorySettings settings, LogReader reader);

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

    /**
     * The cluster view: {@code {"broker":..,"available":..,"nodes":[{"nodeId":..,"clients":..,
     * "updatedAt":..}]}}.
     *
     * @throws BrokerUnavailableException when it can't be read
     */
    ObjectNode clusterView();

    void stop();

    /** What a broker tells the host's clients about itself: an outage of the shared log, and its end. */
    interface Clients {
        /** How many clients this host has, for the cluster view. */
        int count();

        /** Every subscribed client is told that live events stop for now: the broker can't be reached ({@code stream-interrupted}). */
        void streamInterrupted();

        /** Every subscribed client is told that live events flow again ({@code stream-restored}). */
        void streamRestored();
    }
}
