package io.eventstreamer.sources.dlq;

import io.eventstreamer.spi.Payload;
import static java.util.Objects.requireNonNull;

import io.eventstreamer.spi.EventEmitter;

/**
 * Publishes {@value DlqSource#CATEGORY} events from typed arguments, so that a JVM service never
 * writes payloads by hand.
 *
 * <p>Each method builds the payload of one event type of {@link DlqCatalog}, publishes it and
 * returns the id the host assigned. Parameters documented as optional may be {@code null}; the
 * field is then left out. Like {@link EventEmitter#emit}, no method waits on a client, and all are
 * safe to call from any thread.
 *
 * <pre>{@code
 * DlqEvents events = new DlqEvents(host.emitter(DlqSource.CATEGORY));
 * events.entryAdded("dle-3001", "orders.dlq", "max retries exceeded", queue.depth());
 * events.entryResubmitted("dle-3001", "orders.dlq", "orders", "alice", (long) queue.depth());
 * }</pre>
 */
public final class DlqEvents {
    private final EventEmitter emitter;

    /**
     * @param emitter the emitter of the {@value DlqSource#CATEGORY} category
     * @throws IllegalArgumentException when the emitter publishes to another category
     */
    public DlqEvents(EventEmitter emitter) {
        this.emitter = requireNonNull(emitter, "emitter is null");
        if (!DlqSource.CATEGORY.equals(emitter.category())) {
            throw new IllegalArgumentException(String.format("emitter publishes to category '%s', not '%s'",
                    emitter.category(), DlqSource.CATEGORY));
        }
    }

    /**
     * Publishes {@code entry-added} with its required fields.
     *
     * @param reason why the message was dead-lettered
     * @param queueDepth entries in the queue, this one included; at least 1
     * @return the event id
     */
    public String entryAdded(String entryId, String queue, String reason, long queueDepth) {
        return entryAdded(entryId, queue, reason, queueDepth, null, null, null, null);
    }

    /**
     * Publishes {@code entry-added}.
     *
     * @param reason why the message was dead-lettered
     * @param queueDepth entries in the queue, this one included; at least 1
     * @param sourceQueue optional: queue or topic the message was consumed from
     * @param messageId optional: id of the original message
     * @param messageType optional: type of the original message
     * @param attempts optional: processing attempts made before it was dead-lettered, at least 1
     * @return the event id
     */
    public String entryAdded(String entryId, String queue, String reason, long queueDepth, String sourceQueue,
            String messageId, String messageType, Integer attempts) {
        if (queueDepth < 1) {
            throw new IllegalArgumentException(String.format(
                    "queueDepth counts the added entry, so it must be >= 1 but was %d", queueDepth));
        }
        return emitter.emit(DlqCatalog.ENTRY_ADDED, new Payload()
                .required("entryId", entryId)
                .required("queue", queue)
                .required("reason", reason)
                .required("queueDepth", queueDepth)
                .optional("sourceQueue", sourceQueue)
                .optional("messageId", messageId)
                .optional("messageType", messageType)
                .optional("attempts", Payload.atLeastOrNull(1, attempts, "attempts"))
                .toMap());
    }

    /**
     * Publishes {@code entry-resolved} with its required fields.
     *
     * @param resolution how it was closed, e.g. {@code "discarded"}, {@code "handled-manually"}, {@code "expired"}
     * @return the event id
     */
    public String entryResolved(String entryId, String queue, String resolution) {
        return entryResolved(entryId, queue, resolution, null, null);
    }

    /**
     * Publishes {@code entry-resolved}.
     *
     * @param resolution how it was closed, e.g. {@code "discarded"}, {@code "handled-manually"}, {@code "expired"}
     * @param resolvedBy optional: who closed it
     * @param queueDepth optional: entries left in the queue, at least 0
     * @return the event id
     */
    public String entryResolved(String entryId, String queue, String resolution, String resolvedBy, Long queueDepth) {
        return emitter.emit(DlqCatalog.ENTRY_RESOLVED, new Payload()
                .required("entryId", entryId)
                .required("queue", queue)
                .required("resolution", resolution)
                .optional("resolvedBy", resolvedBy)
                .optional("queueDepth", depthLeft(queueDepth))
                .toMap());
    }

    /**
     * Publishes {@code entry-resubmitted} with its required fields.
     *
     * @return the event id
     */
    public String entryResubmitted(String entryId, String queue) {
        return entryResubmitted(entryId, queue, null, null, null);
    }

    /**
     * Publishes {@code entry-resubmitted}.
     *
     * @param targetQueue optional: queue or topic it was sent to
     * @param resubmittedBy optional: a user or the name of an automatic redrive policy
     * @param queueDepth optional: entries left in the queue, at least 0
     * @return the event id
     */
    public String entryResubmitted(String entryId, String queue, String targetQueue, String resubmittedBy,
            Long queueDepth) {
        return emitter.emit(DlqCatalog.ENTRY_RESUBMITTED, new Payload()
                .required("entryId", entryId)
                .required("queue", queue)
                .optional("targetQueue", targetQueue)
                .optional("resubmittedBy", resubmittedBy)
                .optional("queueDepth", depthLeft(queueDepth))
                .toMap());
    }

    private static Long depthLeft(Long queueDepth) {
        if (queueDepth != null && queueDepth < 0) {
            throw new IllegalArgumentException(String.format("queueDepth must be >= 0 but was %d", queueDepth));
        }
        return queueDepth;
    }
}
