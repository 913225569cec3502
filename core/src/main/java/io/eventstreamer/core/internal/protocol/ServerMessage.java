package io.eventstreamer.core.internal.protocol;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the server tells a client, apart from events ({@link EventEnvelope}): one record per kind of
 * message, holding what it says. {@link ServerMessages#encode} writes it on the wire; the shapes
 * are those of docs/protocol.md ("Server → client").
 *
 * <pre>{@code
 * client.send(ServerMessages.encode(new ServerMessage.EventsDropped(12)));
 * }</pre>
 */
public sealed interface ServerMessage {

    MessageType type();

    /**
     * The answer to {@code subscribe}: every category the client now has, in subscription order;
     * where each category subscribed without resume starts ({@code lastIds}: the newest id before the
     * subscription, null when none; left out when empty); and, when the subscribe asked to resume,
     * how each resume went ({@code resume}; null when it didn't ask, which leaves the field out).
     */
    record SubscriptionAck(List<String> categories, Map<String, String> lastIds, List<Resume> resume)
            implements ServerMessage {
        public SubscriptionAck {
            categories = List.copyOf(requireNonNull(categories, "categories is null"));
            // Not Map.copyOf: a category with nothing published yet starts after null.
            lastIds = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(lastIds, "lastIds is null")));
            resume = resume == null ? null : List.copyOf(resume);
        }

        @Override
        public MessageType type() {
            return MessageType.SUBSCRIPTION_ACK;
        }

        /** How the resume of one category went: replayed so many events, or failed for a reason. */
        public record Resume(String category, boolean resumed, int replayed, GapReason reason) {
            public Resume {
                requireNonNull(category, "category is null");
                if (resumed != (reason == null)) {
                    throw new IllegalArgumentException(String.format(
                            "a resume of %s that %s must %s a reason, but had %s", category,
                            resumed ? "succeeded" : "failed", resumed ? "not have" : "have", reason));
                }
            }

            public static Resume resumed(String category, int replayed) {
                return new Resume(category, true, replayed, null);
            }

            public static Resume failed(String category, GapReason reason) {
                return new Resume(category, false, 0, requireNonNull(reason, "reason is null"));
            }
        }
    }

    /** The answer to {@code unsubscribe}: the categories that remain. */
    record UnsubscriptionAck(List<String> categories) implements ServerMessage {
        public UnsubscriptionAck {
            categories = List.copyOf(requireNonNull(categories, "categories is null"));
        }

        @Override
        public MessageType type() {
            return MessageType.UNSUBSCRIPTION_ACK;
        }
    }

    /** The answer to {@code refresh}: when the new token expires (null: it doesn't, sent as null). */
    record RefreshAck(Instant expiresAt) implements ServerMessage {
        @Override
        public MessageType type() {
            return MessageType.REFRESH_ACK;
        }
    }

    /** The connection's token expires soon: refresh it before {@code expiresAt}. */
    record TokenExpiring(Instant expiresAt) implements ServerMessage {
        public TokenExpiring {
            requireNonNull(expiresAt, "expiresAt is null");
        }

        @Override
        public MessageType type() {
            return MessageType.TOKEN_EXPIRING;
        }
    }

    /** The heartbeat; the client answers {@code {"type":"pong"}}. */
    record Ping() implements ServerMessage {
        @Override
        public MessageType type() {
            return MessageType.PING;
        }
    }

    /** The answer to a client's JSON {@code ping}. */
    record Pong() implements ServerMessage {
        @Override
        public MessageType type() {
            return MessageType.PONG;
        }
    }

    /**
     * An {@code error}: a code for programs and a text for people; {@code categories} (null to leave
     * it out) names the categories a {@code forbidden-category} is about. Dropped events are
     * {@link EventsDropped}, which carries their count.
     */
    record ErrorMessage(ErrorCode code, String text, List<String> categories) implements ServerMessage {
        public ErrorMessage {
            requireNonNull(code, "code is null");
            requireNonNull(text, "text is null");
            if (code == ErrorCode.EVENTS_DROPPED) {
                throw new IllegalArgumentException("events-dropped is sent as EventsDropped, with the count");
            }
            categories = categories == null ? null : List.copyOf(categories);
        }

        public ErrorMessage(ErrorCode code, String text) {
            this(code, text, null);
        }

        @Override
        public MessageType type() {
            return MessageType.ERROR;
        }
    }

    /**
     * The {@code error} {@code events-dropped}: {@code count} events were dropped from a slow
     * client's queue since it was last told. One {@link OverflowGap} per category follows it.
     */
    record EventsDropped(long count) implements ServerMessage {
        public EventsDropped {
            if (count < 1) {
                throw new IllegalArgumentException("count was " + count + " but must be >= 1");
            }
        }

        @Override
        public MessageType type() {
            return MessageType.ERROR;
        }
    }

    /**
     * A {@code gap} in a category's stream: the client's last id is {@code lastId}, and what it
     * receives next follows {@code continuesFrom} (null when nothing was published yet). Sent when a
     * resume can't be served, and when a shared log was trimmed before this server read it.
     * {@code missed} is left out when unknown (null).
     */
    record Gap(String category, GapReason reason, String lastId, String continuesFrom, Long missed)
            implements ServerMessage {
        public Gap {
            requireNonNull(category, "category is null");
            requireNonNull(reason, "reason is null");
            if (reason == GapReason.OVERFLOW) {
                throw new IllegalArgumentException("an overflow is sent as OverflowGap, with the ids dropped");
            }
        }

        /**
         * The shared log no longer holds the entries after {@code lastId}, the last one delivered:
         * they were trimmed before this server read them. {@code missed} when the log can count them.
         */
        public static Gap trimmedBeforeRead(String category, String lastId, Long missed) {
            return new Gap(category, GapReason.HISTORY_EXPIRED, lastId, lastId, missed);
        }

        @Override
        public MessageType type() {
            return MessageType.GAP;
        }
    }

    /**
     * A {@code gap} with reason {@code overflow}: {@code missed} events of the category were dropped
     * from the client's queue, from {@code firstMissed} to {@code lastMissed}; resuming after
     * {@code resumeFrom} (null when the category's first event was dropped) fetches them again.
     */
    record OverflowGap(String category, long missed, String firstMissed, String lastMissed, String resumeFrom)
            implements ServerMessage {
        public OverflowGap {
            requireNonNull(category, "category is null");
        }

        @Override
        public MessageType type() {
            return MessageType.GAP;
        }
    }

    /** The broker (Redis) was lost: no events arrive until {@link StreamRestored}. */
    record StreamInterrupted() implements ServerMessage {
        @Override
        public MessageType type() {
            return MessageType.STREAM_INTERRUPTED;
        }
    }

    /** The broker is back; every category continues after the last id delivered. */
    record StreamRestored() implements ServerMessage {
        @Override
        public MessageType type() {
            return MessageType.STREAM_RESTORED;
        }
    }
}
