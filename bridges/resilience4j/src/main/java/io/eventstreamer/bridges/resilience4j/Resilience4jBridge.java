package io.eventstreamer.bridges.resilience4j;

import static java.util.Objects.requireNonNull;

import io.eventstreamer.sources.errorrecovery.ErrorRecoveryEvents;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;

/**
 * Publishes what the circuit breakers and retries of Resilience4j registries do as
 * {@code error-recovery} events, through the category's typed emitter, so that every event is
 * valid by the catalog.
 *
 * <p>{@code connect} subscribes to every circuit breaker and retry of the registries, and to
 * those the registries create or replace later. From then on:
 *
 * <ul>
 *   <li>every state transition of a breaker is a {@code circuit-breaker-state-changed} named by
 *       the breaker's name, with the failure and slow-call rates that tripped it, the wait in the
 *       open state and when trial calls will be let through;
 *   <li>every retry is a {@code retry-started}; the attempt that follows ends with a
 *       {@code retry-completed}, {@code "failed"} when another retry follows, {@code "succeeded"}
 *       (then also an {@code error-resolved}) or {@code "exhausted"} when the retry gives up. The
 *       retry's name is the {@code retryId} and the {@code operation}.
 * </ul>
 *
 * <p>Resilience4j calls the bridge on the thread of the protected call (or of its scheduler); the
 * bridge never blocks it and never throws into it: a failed publication is logged. Calls through
 * one retry in parallel share its name, so their sequences interleave under one {@code retryId}.
 *
 * <pre>{@code
 * EventStreamer host = EventStreamer.start(config);
 * CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
 * RetryRegistry retries = RetryRegistry.ofDefaults();
 * Resilience4jBridge bridge = Resilience4jBridge.connect(
 *         new ErrorRecoveryEvents(host.emitter(ErrorRecoverySource.CATEGORY)), circuitBreakers, retries);
 * // ... circuitBreakers.circuitBreaker("inventory-service").executeSupplier(inventory::reserve);
 * bridge.close();   // before host.stop(): publishes nothing more
 * }</pre>
 */
public final class Resilience4jBridge implements AutoCloseable {
    private final EventSink sink = new EventSink();
    private final CircuitBreakerTransitions transitions;
    private final RetrySequences retrySequences;

    private Resilience4jBridge(ErrorRecoveryEvents events) {
        requireNonNull(events, "events is null");
        this.transitions = new CircuitBreakerTransitions(events, sink);
        this.retrySequences = new RetrySequences(events, sink);
    }

    /**
     * Publishes the events of every circuit breaker and retry of both registries, present and
     * future, until {@link #close()}.
     *
     * @param events the typed emitter of the {@code error-recovery} category
     */
    public static Resilience4jBridge connect(ErrorRecoveryEvents events, CircuitBreakerRegistry circuitBreakers,
            RetryRegistry retries) {
        requireNonNull(circuitBreakers, "circuitBreakers is null");
        requireNonNull(retries, "retries is null");
        Resilience4jBridge bridge = new Resilience4jBridge(events);
        bridge.watch(circuitBreakers);
        bridge.watch(retries);
        return bridge;
    }

    /** Publishes the transitions of every circuit breaker of the registry, present and future. */
    public static Resilience4jBridge connect(ErrorRecoveryEvents events, CircuitBreakerRegistry circuitBreakers) {
        requireNonNull(circuitBreakers, "circuitBreakers is null");
        Resilience4jBridge bridge = new Resilience4jBridge(events);
        bridge.watch(circuitBreakers);
        return bridge;
    }

    /** Publishes the retry sequences of every retry of the registry, present and future. */
    public static Resilience4jBridge connect(ErrorRecoveryEvents events, RetryRegistry retries) {
        requireNonNull(retries, "retries is null");
        Resilience4jBridge bridge = new Resilience4jBridge(events);
        bridge.watch(retries);
        return bridge;
    }

    /**
     * Stops publishing. Resilience4j has no way to unsubscribe, so the bridge's consumers stay
     * registered and do nothing from now on.
     */
    @Override
    public void close() {
        sink.close();
    }

    private void watch(CircuitBreakerRegistry registry) {
        // Listen before listing, so that a breaker created in between is not missed; one seen twice is subscribed once.
        registry.getEventPublisher()
                .onEntryAdded(event -> transitions.subscribe(event.getAddedEntry()))
                .onEntryReplaced(event -> transitions.subscribe(event.getNewEntry()));
        registry.getAllCircuitBreakers().forEach(transitions::subscribe);
    }

    private void watch(RetryRegistry registry) {
        registry.getEventPublisher()
                .onEntryAdded(event -> retrySequences.subscribe(event.getAddedEntry()))
                .onEntryReplaced(event -> retrySequences.subscribe(event.getNewEntry()));
        registry.getAllRetries().forEach(retrySequences::subscribe);
    }
}
