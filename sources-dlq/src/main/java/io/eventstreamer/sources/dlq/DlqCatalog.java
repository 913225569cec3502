package io.eventstreamer.sources.dlq;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;

/**
 * The event types of the {@value DlqSource#CATEGORY} category and their payloads.
 *
 * <p>An entry, named by {@code entryId} within its {@code queue}, is announced by
 * {@value #ENTRY_ADDED} and leaves the queue with either {@value #ENTRY_RESOLVED} or
 * {@value #ENTRY_RESUBMITTED}. Each event can carry the queue's depth after the change, so that a
 * dashboard shows it without polling. docs/events.md documents every field with examples.
 */
public final class DlqCatalog {
    /** A message was moved to a dead-letter queue. */
    public static final String ENTRY_ADDED = "entry-added";
    /** An entry was closed without being processed again. */
    public static final String ENTRY_RESOLVED = "entry-resolved";
    /** An entry was sent back for processing. */
    public static final String ENTRY_RESUBMITTED = "entry-resubmitted";

    private static final String ENTRY_ID = "Id of the dead-letter entry, the same in every event about it.";
    private static final String QUEUE = "Name of the dead-letter queue, e.g. \"orders.dlq\".";
    private static final String DEPTH_AFTER_REMOVAL = "Entries left in the dead-letter queue after this one left it.";

    private static final EventCatalog CATALOG = EventCatalog.builder(DlqSource.CATEGORY)
            .add(entryAdded())
            .add(entryResolved())
            .add(entryResubmitted())
            .build();

    private DlqCatalog() {
    }

    /** The catalog of the {@value DlqSource#CATEGORY} category. */
    public static EventCatalog catalog() {
        return CATALOG;
    }

    private static EventType entryAdded() {
        return EventType.builder(ENTRY_ADDED, "A message could not be processed and was moved to a "
                        + "dead-letter queue, where it waits to be resolved or resubmitted.")
                .required("entryId", JsonType.STRING, ENTRY_ID)
                .required("queue", JsonType.STRING, QUEUE)
                .required("reason", JsonType.STRING,
                        "Why the message was dead-lettered: the last processing error, or e.g. "
                                + "\"max retries exceeded\".")
                .required("queueDepth", JsonType.INTEGER, "Entries in the dead-letter queue, this one included.")
                .optional("sourceQueue", JsonType.STRING, "Queue or topic the message was consumed from.")
                .optional("messageId", JsonType.STRING, "Id of the original message.")
                .optional("messageType", JsonType.STRING, "Type of the original message, e.g. \"OrderPlaced\".")
                .optional("attempts", JsonType.INTEGER,
                        "Processing attempts made before the message was dead-lettered.")
                .build();
    }

    private static EventType entryResolved() {
        return EventType.builder(ENTRY_RESOLVED, "A dead-letter entry was closed without being processed "
                        + "again: discarded, handled by hand, or expired. It has left the queue.")
                .required("entryId", JsonType.STRING, ENTRY_ID)
                .required("queue", JsonType.STRING, QUEUE)
                .required("resolution", JsonType.STRING,
                        "How it was closed, e.g. \"discarded\", \"handled-manually\" or \"expired\".")
                .optional("resolvedBy", JsonType.STRING, "Who closed it: a user, or a service such as an expiry job.")
                .optional("queueDepth", JsonType.INTEGER, DEPTH_AFTER_REMOVAL)
                .build();
    }

    private static EventType entryResubmitted() {
        return EventType.builder(ENTRY_RESUBMITTED, "A dead-letter entry was sent back for processing and "
                        + "left the queue. If it fails again, it comes back as a new entry-added.")
                .required("entryId", JsonType.STRING, ENTRY_ID)
                .required("queue", JsonType.STRING, QUEUE)
                .optional("targetQueue", JsonType.STRING,
                        "Queue or topic it was sent to, usually the one it was consumed from.")
                .optional("resubmittedBy", JsonType.STRING,
                        "Who resubmitted it: a user, or the name of an automatic redrive policy.")
                .optional("queueDepth", JsonType.INTEGER, DEPTH_AFTER_REMOVAL)
                .build();
    }
}
