package io.eventstreamer.core.internal.sse;

import io.eventstreamer.core.internal.fanout.BatchTransport;
import io.eventstreamer.core.internal.fanout.Framing;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;

/**
 * The Server-Sent Events transport of one connection: the body of a {@code GET} response that
 * stays open. Each batch the engine drains is one {@link Response#write} (one chunk, one system
 * call). Closing writes a last comment with the reason and ends the response, after the write in
 * flight; the browser then reconnects with its {@code Last-Event-ID}. The client never writes
 * after its request, so it can't answer pings: a dead connection shows as a failed write.
 */
final class SseTransport extends BatchTransport {
    private final Response response;
    private final Callback exchange;
    private final EndPoint endPoint;
    private final SseFraming framing;
    private final ScheduledExecutorService scheduler;
    private final Duration closeGrace;
    private final Written written = new Written();
    // Guarded by this: the exchange was completed.
    private boolean ended;

    /**
     * @param exchange the request's callback: completing it ends the response
     */
    SseTransport(Response response, Callback exchange, EndPoint endPoint, SseFraming framing,
            ScheduledExecutorService scheduler, Duration closeGrace) {
        this.response = response;
        this.exchange = exchange;
        this.endPoint = endPoint;
        this.framing = framing;
        this.scheduler = scheduler;
        this.closeGrace = closeGrace;
    }

    @Override
    public String name() {
        return "sse";
    }

    @Override
    public Framing framing() {
        return framing;
    }

    @Override
    public boolean clientsAnswerPings() {
        return false;
    }

    @Override
    public void write(ByteBuffer batch, WriteCallback callback) {
        if (!startWrite(callback, false)) {
            callback.failed(new ClosedChannelException());
            return;
        }
        response.write(false, batch, written);
    }

    /** Not used: this transport always has a framing. */
    @Override
    public void send(ByteBuffer message, boolean batch, WriteCallback callback) {
        throw new UnsupportedOperationException("SSE lays out every batch with its framing");
    }

    @Override
    public void close(int statusCode, String reason) {
        closeWith(null, statusCode, reason);
    }

    /**
     * Writes {@code message} (when not null) and a comment with the close's code and reason after
     * the write in flight, and ends the response. A client that doesn't read that in
     * {@code closeGrace} is dropped.
     */
    @Override
    public void closeWith(byte[] message, int statusCode, String reason) {
        byte[] laidOut = SseFraming.closing(message, statusCode, reason);
        Runnable close = () -> response.write(true, ByteBuffer.wrap(laidOut), Callback.from(
                () -> end(null), this::end));
        // Only the first close goes out: nothing may follow the end of the response.
        if (afterWrites(close, true)) {
            disconnectAfterGrace();
        }
    }

    @Override
    public void disconnect() {
        endPoint.close();
        end(new ClosedChannelException());
    }

    /** The connection failed under the response (Jetty's failure listener): nothing more can be written. */
    void failed(Throwable cause) {
        refuseWrites();
        end(cause);
    }

    /** Completes the exchange once: the response ends (or is aborted on a failure). */
    private void end(Throwable failure) {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
        }
        if (failure == null) {
            exchange.succeeded();
        } else {
            exchange.failed(failure);
        }
    }

    private void disconnectAfterGrace() {
        try {
            scheduler.schedule(() -> {
                boolean done;
                synchronized (this) {
                    done = ended;
                }
                if (!done) {
                    disconnect();
                }
            }, closeGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            disconnect();
        }
    }

    /** Completion of a batch's write; one per connection, as one write is in flight at a time. */
    private final class Written implements Callback {
        @Override
        public InvocationType getInvocationType() {
            // It only hands work to the flusher threads or starts the close: fine on a selector thread.
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void succeeded() {
            writeCompleted(null);
        }

        @Override
        public void failed(Throwable cause) {
            writeCompleted(cause);
            end(cause);
        }
    }
}
