package io.eventstreamer.bridges.resilience4j;

import io.eventstreamer.sources.errorrecovery.ErrorRecoveryEvents;
import io.eventstreamer.sources.errorrecovery.RetryOutcome;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.event.RetryEvent;
import io.github.resilience4j.retry.event.RetryOnRetryEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns the events of the retries it is given into retry sequences: {@code retry-started} per
 * retry, {@code retry-completed} when one ends, and {@code error-resolved} when a retry succeeds.
 *
 * <p>Resilience4j counts attempts including the original call: its retry event {@code n} says
 * that attempt {@code n} failed and retry number {@code n} (attempt {@code n + 1}) follows after
 * the wait interval, its success event {@code n} that retry {@code n} succeeded, its error event
 * {@code n} that attempt {@code n}, retry {@code n - 1}, failed and no attempt is left.
 *
 * <p>The events don't say which call they belong to, so the retry's name is the sequence's
 * {@code retryId}; the attempt in flight for each name is kept to measure how long it took (from
 * when it was due to the event that ends it).
 */
final class RetrySequences {
    private final ErrorRecoveryEvents events;
    private final EventSink sink;
    private final Set<Retry> subscribed = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
    private final Map<String, Attempt> inFlight = new ConcurrentHashMap<>();

    /** A retry that was scheduled and has not ended yet. */
    private record Attempt(int retryNumber, Instant dueAt, Instant firstFailedAt) {
    }

    RetrySequences(ErrorRecoveryEvents events, EventSink sink) {
        this.events = events;
        this.sink = sink;
    }

    /** Subscribes to the retry's events; a retry already subscribed is left as it is. */
    void subscribe(Retry retry) {
        if (subscribed.add(retry)) {
            Retry.EventPublisher publisher = retry.getEventPublisher();
            publisher.onRetry(event -> sink.publish(describe(event), () -> retrying(retry, event)));
            publisher.onSuccess(event -> sink.publish(describe(event),
                    () -> ended(event, event.getNumberOfRetryAttempts(), RetryOutcome.SUCCEEDED)));
            publisher.onError(event -> sink.publish(describe(event),
                    () -> ended(event, event.getNumberOfRetryAttempts() - 1, RetryOutcome.EXHAUSTED)));
            publisher.onIgnoredError(event -> sink.publish(describe(event), () -> gaveUp(event)));
        }
    }

    private void retrying(Retry retry, RetryOnRetryEvent event) {
        String name = event.getName();
        Instant at = event.getCreationTime().toInstant();
        int retryNumber = event.getNumberOfRetryAttempts();
        Throwable error = event.getLastThrowable();
        Instant dueAt = at.plus(event.getWaitInterval());
        Attempt previous = inFlight.get(name);
        Instant firstFailedAt = retryNumber > 1 && previous != null ? previous.firstFailedAt() : at;
        inFlight.put(name, new Attempt(retryNumber, dueAt, firstFailedAt));
        if (retryNumber > 1) {
            complete(name, retryNumber - 1, RetryOutcome.FAILED, previous, at, error);
        }
        int maxRetries = retry.getRetryConfig().getMaxAttempts() - 1;
        events.retryStarted(name, name, retryNumber, maxRetries >= 1 ? maxRetries : null, message(error),
                error == null ? null : error.getClass().getName(), dueAt);
    }

    private void ended(RetryEvent event, int retryNumber, RetryOutcome outcome) {
        String name = event.getName();
        Attempt attempt = inFlight.remove(name);
        if (retryNumber < 1) {
            return; // no retry was made: the original call failed and retrying was not allowed
        }
        Instant at = event.getCreationTime().toInstant();
        Throwable error = event.getLastThrowable();
        if (outcome != RetryOutcome.SUCCEEDED) {
            complete(name, retryNumber, outcome, attempt, at, error);
            return;
        }
        complete(name, retryNumber, outcome, attempt, at, null);
        Instant firstFailedAt = attempt == null ? null : attempt.firstFailedAt();
        events.errorResolved(name, name, name, error == null ? null : message(error), "retry-succeeded",
                retryNumber + 1, firstFailedAt, null);
    }

    /** An error the retry doesn't retry ends the sequence in flight, if there is one: it is given up. */
    private void gaveUp(RetryEvent event) {
        Attempt attempt = inFlight.remove(event.getName());
        if (attempt != null) {
            complete(event.getName(), attempt.retryNumber(), RetryOutcome.EXHAUSTED, attempt,
                    event.getCreationTime().toInstant(), event.getLastThrowable());
        }
    }

    /** Publishes the end of retry {@code retryNumber}; {@code attempt} is what the bridge knows of its start, if anything. */
    private void complete(String name, int retryNumber, RetryOutcome outcome, Attempt attempt, Instant at,
            Throwable error) {
        Duration duration = Duration.ZERO;
        if (attempt != null && attempt.retryNumber() == retryNumber && attempt.dueAt().isBefore(at)) {
            duration = Duration.between(attempt.dueAt(), at);
        }
        String errorMessage = outcome == RetryOutcome.SUCCEEDED ? null : message(error);
        events.retryCompleted(name, name, retryNumber, outcome, duration, errorMessage);
    }

    private static String describe(RetryEvent event) {
        return String.format("the %s event of retry '%s'", event.getEventType(), event.getName());
    }

    /** The error's message; its class when it has none; for a retried result, which has no error, that. */
    private static String message(Throwable error) {
        if (error == null) {
            return "the result was retried (retryOnResult)";
        }
        return error.getMessage() != null ? error.getMessage() : error.getClass().getName();
    }
}
