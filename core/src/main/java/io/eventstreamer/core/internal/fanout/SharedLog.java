package io.eventstreamer.core.internal.fanout;

import java.util.List;

/**
 * Where a category's events are kept when several hosts share them (the redis broker): publishing
 * appends there, and every host's reader hands what it reads to its {@link CategoryChannel}s
 * through {@link CategoryChannel#deliver}. Ids are the log's own.
 */
public interface SharedLog {
    /**
     * Appends an encoded event and returns its id.
     *
     * @throws BrokerUnavailableException when the log can't be reached
     */
    String append(String category, String eventType, String coalesceKey, byte[] body);

    /**
     * The entries of a category with ids in {@code (afterId, upToId]}, oldest first.
     *
     * @throws BrokerUnavailableException when the log can't be reached
     */
    List<Entry> range(String category, String afterId, String upToId);

    /**
     * Whether every entry after {@code id} is still held (none was trimmed), so a resume from it
     * misses nothing.
     *
     * @throws BrokerUnavailableException when the log can't be reached
     */
    boolean holdsEverythingAfter(String category, String id);

    /** One stored event. */
    final class Entry {
        private final String id;
        private final String eventType;
        private final String coalesceKey;
        private final byte[] body;

        public Entry(String id, String eventType, String coalesceKey, byte[] body) {
            this.id = id;
            this.eventType = eventType;
            this.coalesceKey = coalesceKey;
            this.body = body;
        }

        public String id() {
            return id;
        }

        public String eventType() {
            return eventType;
        }

        public String coalesceKey() {
            return coalesceKey;
        }

        /** The event's JSON without its closing brace (see {@link CategoryChannel#prepare}). */
        public byte[] body() {
            return body;
        }
    }
}
