package io.eventstreamer.core.internal.http;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request body into one array without holding a thread while the client is slow: what has
 * arrived is read at once, and for the rest the request's demand calls back when more arrives.
 * The body is bounded in size and in time; exactly one method of the {@link Outcome} is called.
 *
 * <p>Each byte is copied once, from Jetty's buffer into the array, as the blocking read that this
 * replaces did. A body whose length is declared goes straight into an array of that length.
 */
final class BodyReader implements Runnable {
    /** What became of the body. Called on a thread that may run blocking code. */
    interface Outcome {
        /** The whole body: the first {@code length} bytes of {@code body}. */
        void read(byte[] body, int length);

        /** More than the limit arrived or was declared; the rest was not read. */
        void tooLarge();

        /** The body did not arrive within the deadline. */
        void timedOut();

        /** The client went away or the body was malformed (e.g. a bad chunk). */
        void failed(Throwable failure);
    }

    private static final int INITIAL_UNDECLARED = 8 * 1024;

    private final Request request;
    private final long declaredLength;
    private final int max;
    private final Duration timeout;
    private final Outcome outcome;
    private final AtomicBoolean finished = new AtomicBoolean();
    private byte[] bytes;
    private int length;
    private Scheduler.Task deadline;

    private BodyReader(Request request, long declaredLength, int max, Duration timeout, Outcome outcome,
            byte[] bytes) {
        this.request = request;
        this.declaredLength = declaredLength;
        this.max = max;
        this.timeout = timeout;
        this.outcome = outcome;
        this.bytes = bytes;
    }

    /**
     * Starts reading; {@code outcome} hears of the result, on this thread when the body has already
     * arrived, otherwise later on a thread of the server's pool.
     */
    static void read(Request request, long declaredLength, int max, Duration timeout, Outcome outcome) {
        if (declaredLength > max) {
            outcome.tooLarge();
            return;
        }
        int initial = declaredLength >= 0 ? (int) declaredLength : Math.min(max, INITIAL_UNDECLARED);
        new BodyReader(request, declaredLength, max, timeout, outcome, new byte[initial]).run();
    }

    /** Reads what has arrived; demands a call back when it has read everything there is so far. */
    @Override
    public void run() {
        while (!finished.get()) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                if (deadline == null) {
                    startDeadline();
                }
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                // Transient failures (an idle timeout) are final here too: the deadline is ours.
                Throwable failure = chunk.getFailure();
                chunk.release();
                if (finish()) {
                    outcome.failed(failure);
                }
                return;
            }
            boolean last = chunk.isLast();
            boolean fits = append(chunk.getByteBuffer());
            chunk.release();
            if (!fits) {
                if (finish()) {
                    outcome.tooLarge();
                }
                return;
            }
            // With a declared length the body is whole once that many bytes are in: waiting for the
            // end-of-content chunk too would hand the rest of the request to another thread, and a
            // publisher waiting for each answer would wait for that thread's turn on a busy core.
            if (last || length == declaredLength) {
                if (finish()) {
                    outcome.read(bytes, length);
                }
                return;
            }
        }
    }

    /** The deadline counts from the request head; it is needed only when the body is not all there yet. */
    private void startDeadline() {
        long elapsed = System.nanoTime() - request.getHeadersNanoTime();
        long left = Math.max(0, timeout.toNanos() - elapsed);
        deadline = request.getComponents().getScheduler().schedule(this::expire, left, TimeUnit.NANOSECONDS);
    }

    private void expire() {
        if (finished.compareAndSet(false, true)) {
            outcome.timedOut();
        }
    }

    /** Whether this call finished the read (and not the deadline, first). */
    private boolean finish() {
        if (deadline != null) {
            deadline.cancel();
        }
        return finished.compareAndSet(false, true);
    }

    private boolean append(ByteBuffer buffer) {
        int n = buffer.remaining();
        if (n > max - length) {
            return false;
        }
        if (n > bytes.length - length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max(2L * bytes.length, (long) length + n)));
        }
        buffer.get(bytes, length, n);
        length += n;
        return true;
    }
}
