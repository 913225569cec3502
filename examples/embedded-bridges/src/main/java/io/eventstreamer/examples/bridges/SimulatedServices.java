package io.eventstreamer.examples.bridges;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/** The made-up remote services the demo calls: an inventory service with outages, a payment gateway that often fails. */
final class SimulatedServices {
    /** The inventory service is down from second 3 to second 7 of every 15. */
    private static final long CYCLE_MS = 15_000;
    private static final long OUTAGE_FROM_MS = 3_000;
    private static final long OUTAGE_UNTIL_MS = 7_000;

    private final long startNanos;
    private final Random random = new Random(42);
    private int payment;

    SimulatedServices(long startNanos) {
        this.startNanos = startNanos;
    }

    /** One call through the breaker; while it is open, the call is refused without reaching the service. */
    void callInventory(CircuitBreaker breaker) {
        try {
            breaker.executeRunnable(this::reserveStock);
        } catch (IllegalStateException | CallNotPermittedException e) {
            // The breaker counted it (or refused it); the bridge publishes what the breaker does.
        }
    }

    /** One payment through the retry: each attempt fails half the time. */
    void capturePayment(Retry retry) {
        payment++;
        try {
            retry.executeRunnable(this::callGateway);
        } catch (IllegalStateException e) {
            // Given up after the last attempt: the bridge published retry-completed "exhausted".
        }
    }

    private void reserveStock() {
        long inCycle = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) % CYCLE_MS;
        if (inCycle >= OUTAGE_FROM_MS && inCycle < OUTAGE_UNTIL_MS) {
            throw new IllegalStateException("inventory-service answered 503 Service Unavailable");
        }
    }

    private void callGateway() {
        if (random.nextBoolean()) {
            throw new IllegalStateException(String.format("payments-gateway timed out capturing payment %d", payment));
        }
    }
}
