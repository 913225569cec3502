package io.eventstreamer.client;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The server's notice that events of a category were missed and will not be delivered, as handed
 * to {@link EventStreamClient.Builder#onGap}. An application that keeps state built from a
 * category's events should reload that state when it gets one; events after the gap follow as usual.
 *
 * <p>The reasons are those of the wire protocol ({@code docs/protocol.md}):
 * {@value #HISTORY_EXPIRED}, {@value #EPOCH_CHANGED}, {@value #UNKNOWN_ID} (the client's resume
 * point could not be used; the stream continues after {@link #continuesFrom()}) and
 * {@value #OVERFLOW} (the client read too slowly and {@link #missed()} events were dropped from
 * its queue). The client also accepts reasons it does not know.
 *
 * @param category the category the events were missed in
 * @param reason why, e.g. {@value #HISTORY_EXPIRED}
 * @param data the message's whole {@code data} object, with the reason's fields
 */
public record Gap(String category, String reason, JsonNode data) {
    /** The resume point is older than what the server's history holds. */
    public static final String HISTORY_EXPIRED = "history-expired";
    /** The resume point is from another life of the server (it restarted without its history). */
    public static final String EPOCH_CHANGED = "epoch-changed";
    /** The resume point is malformed or unknown to the server. */
    public static final String UNKNOWN_ID = "unknown-id";
    /** Events were dropped from this client's queue on the server because it read too slowly. */
    public static final String OVERFLOW = "overflow";

    public Gap {
        requireNonNull(category, "category is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(data, "data is null");
    }

    /** The resume point the client gave ({@code lastId}), for the resume reasons. */
    public Optional<String> lastId() {
        return text("lastId");
    }

    /**
     * The id after which the stream continues ({@code continuesFrom}), for the resume reasons; empty
     * when nothing was published in the category yet.
     */
    public Optional<String> continuesFrom() {
        return text("continuesFrom");
    }

    /**
     * For {@value #OVERFLOW}: the id to resume from to fetch the dropped events from the server's
     * history ({@code resumeFrom}).
     */
    public Optional<String> resumeFrom() {
        return text("resumeFrom");
    }

    /** How many events were missed ({@code missed}), when the server knows. */
    public OptionalLong missed() {
        JsonNode missed = data.get("missed");
        if (missed == null || !missed.canConvertToLong()) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(missed.asLong());
    }

    private Optional<String> text(String field) {
        JsonNode value = data.get(field);
        if (value == null || !value.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(value.asText());
    }
}
