package io.eventstreamer.core.internal.broker;

/**
 * One event as a broker holds it: its id, type, coalescing key and encoded JSON.
 *
 * @param body the event's JSON without its closing brace and without id and clientId, which the
 *     engine splices in (see {@code CategoryChannel#prepare})
 * @param publishedAtMillis when the broker accepted it (memory) or read it (redis)
 */
public record LogEntry(String id, String eventType, String coalesceKey, byte[] body, long publishedAtMillis) {
    /** What an entry costs in a history: its bytes as sent, but for the recipient's clientId. */
    public long cost() {
        // ,"id":"<id>","clientId":" and the closing "} around the body.
        return body.length + id.length() + 24L;
    }
}
