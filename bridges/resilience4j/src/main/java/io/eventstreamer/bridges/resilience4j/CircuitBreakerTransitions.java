package io.eventstreamer.bridges.resilience4j;

import io.eventstreamer.sources.errorrecovery.CircuitBreakerState;
import io.eventstreamer.sources.errorrecovery.ErrorRecoveryEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes every state transition of the circuit breakers it is given as a
 * {@code circuit-breaker-state-changed}, with the breaker's metrics when they say why.
 */
final class CircuitBreakerTransitions {
    private final ErrorRecoveryEvents events;
    private final EventSink sink;
    private final Set<CircuitBreaker> subscribed = Collections.synchronizedSet(
            Collections.newSetFromMap(new IdentityHashMap<>()));
    /** Openings of each breaker since it was last closed: the wait in the open state may grow with them. */
    private final Map<String, Integer> openings = new ConcurrentHashMap<>();

    CircuitBreakerTransitions(ErrorRecoveryEvents events, EventSink sink) {
        this.events = events;
        this.sink = sink;
    }

    /** Subscribes to the breaker's transitions; a breaker already subscribed is left as it is. */
    void subscribe(CircuitBreaker breaker) {
        if (subscribed.add(breaker)) {
            breaker.getEventPublisher().onStateTransition(event -> sink.publish(
                    "the state transition of circuit breaker '" + breaker.getName() + "'",
                    () -> transitioned(breaker, event)));
        }
    }

    private void transitioned(CircuitBreaker breaker, CircuitBreakerOnStateTransitionEvent event) {
        String name = breaker.getName();
        CircuitBreaker.StateTransition transition = event.getStateTransition();
        CircuitBreakerState from = state(transition.getFromState());
        CircuitBreakerState to = state(transition.getToState());
        // The state machine hands its metrics over to the open state, so for a breaker that just
        // opened they are the ones that tripped it; a closed or half-open state starts afresh.
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        Double failureRate = percentage(metrics.getFailureRate());
        Double slowCallRate = percentage(metrics.getSlowCallRate());
        if (to != CircuitBreakerState.OPEN) {
            if (to == CircuitBreakerState.CLOSED) {
                openings.remove(name);
            }
            events.circuitBreakerStateChanged(name, from, to, null, failureRate, slowCallRate, null, null);
            return;
        }
        CircuitBreakerConfig config = breaker.getCircuitBreakerConfig();
        int opening = openings.merge(name, 1, Integer::sum);
        Duration wait = Duration.ofMillis(config.getWaitIntervalFunctionInOpenState().apply(opening));
        Instant nextAttemptAt = event.getCreationTime().toInstant().plus(wait);
        String reason = tripReason(config, failureRate, slowCallRate);
        events.circuitBreakerStateChanged(name, from, to, reason, failureRate, slowCallRate, wait, nextAttemptAt);
    }

    static CircuitBreakerState state(CircuitBreaker.State state) {
        switch (state) {
            case CLOSED:
                return CircuitBreakerState.CLOSED;
            case OPEN:
                return CircuitBreakerState.OPEN;
            case HALF_OPEN:
                return CircuitBreakerState.HALF_OPEN;
            case FORCED_OPEN:
                return CircuitBreakerState.FORCED_OPEN;
            case DISABLED:
                return CircuitBreakerState.DISABLED;
            case METRICS_ONLY:
                return CircuitBreakerState.METRICS_ONLY;
            default:
                throw new IllegalArgumentException("unknown circuit breaker state " + state);
        }
    }

    /** Resilience4j reports -1 while fewer calls than the minimum were recorded: then there is no rate. */
    private static Double percentage(float rate) {
        if (rate < 0) {
            return null;
        }
        return Math.round(rate * 100.0) / 100.0;
    }

    private static String tripReason(CircuitBreakerConfig config, Double failureRate, Double slowCallRate) {
        List<String> reasons = new ArrayList<>();
        if (failureRate != null && failureRate >= config.getFailureRateThreshold()) {
            reasons.add(String.format("failure rate %s%% at or above threshold %s%%",
                    number(failureRate), number(config.getFailureRateThreshold())));
        }
        if (slowCallRate != null && slowCallRate >= config.getSlowCallRateThreshold()) {
            reasons.add(String.format("slow-call rate %s%% at or above threshold %s%% (calls slower than %d ms)",
                    number(slowCallRate), number(config.getSlowCallRateThreshold()),
                    config.getSlowCallDurationThreshold().toMillis()));
        }
        return reasons.isEmpty() ? null : String.join("; ", reasons);
    }

    private static String number(double value) {
        return new DecimalFormat("0.##", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
    }
}
