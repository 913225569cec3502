package io.eventstreamer.core.internal.broker;

/**
 * One category's events in a broker: numbering, history and delivery belong here. Events appended
 * reach the category's {@link LogReader} in id order: before {@link #append} returns with the
 * memory broker, from the reader thread with redis.
 *
 * <p>{@link #replay} is called with the reader's lock held, so that nothing is delivered between
 * the replay and the live events after it: an implementation must not wait for its own delivery.
 */
public interface CategoryLog {
    /**
     * Appends an event and returns its id.
     *
     * @throws BrokerUnavailableException when the log can't be reached; nothing was appended
     */
    String append(String eventType, String coalesceKey, byte[] body);

    /**
     * The entries after {@code afterId} up to {@code upToId} (the last one delivered to the reader;
     * null when none was), or why they can't all be had. Never throws for a bad id or an outage.
     */
    Replay replay(String afterId, String upToId);

    /**
     * How long a resume after an id the reader hasn't delivered yet waits for it: another node
     * may be slightly ahead (redis); zero when delivery is immediate (memory).
     */
    long aheadWaitMillis();

    /** Events held for resumes in this host (0 when the log is kept outside, as with redis). */
    int historySize();

    /** Bytes of {@link #historySize}'s events. */
    long historyBytes();
}
