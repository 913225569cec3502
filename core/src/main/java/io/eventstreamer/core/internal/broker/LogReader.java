package io.eventstreamer.core.internal.broker;

/**
 * What a broker hands a category's events to: the engine's channel for that category. A broker
 * calls it from one thread at a time per category, in id order.
 */
public interface LogReader {
    /** Where reading starts when the log already holds events (redis): the resume point before any delivery. */
    void startAfter(String id);

    /** The next event of the category, in id order. */
    void deliver(LogEntry entry);

    /**
     * Entries left the log before they were read (the reader was away, or fell more than the
     * history behind): subscribers are told, with how many when the broker can count them.
     */
    void trimmedBeforeRead(Long missed);
}
