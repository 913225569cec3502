package io.eventstreamer.core.internal.http;

import java.time.Duration;

/**
 * The publish requests whose events are being published. A stop {@link #close closes} it first:
 * later requests are refused whole (503), and those already publishing finish before the broker
 * stops, so that a request is published whole or refused whole.
 */
public final class PublishesInFlight {
    private int count;
    private boolean closed;

    /** Counts a request in; false (nothing counted) once closed. */
    synchronized boolean enter() {
        if (closed) {
            return false;
        }
        count++;
        return true;
    }

    synchronized void exit() {
        count--;
        if (count == 0) {
            notifyAll();
        }
    }

    /**
     * Refuses further requests and waits up to {@code timeout} for those in flight.
     *
     * @return whether none is left in flight
     */
    public synchronized boolean close(Duration timeout) {
        closed = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (count > 0) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return false;
            }
            try {
                wait(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
