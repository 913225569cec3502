package io.eventstreamer.core.internal.broker;

/**
 * What a broker hands a category's events to: the engine's channel for that category. A broker
 * calls it from one thread at a time per category, in id order.
 */
public interface LogReader {
    /**
     * Where reading starts: the resume point given to clients before any delivery (memory: before
     * the first id of this life, {@code <epoch>-0}; redis: the stream's newest entry, or {@code 0-0}).
     */
    void startAfter(String id);

    /** The next event of the category, in id order. */
    void deliver(LogEntry entry);

    /**
     * Entries left the log before they were read (the reader was away, or fell more than the
     * history behind): subscribers are told, with how many when the broker can count them.
     */
    void trimmedBeforeRead(Long missed);
}
