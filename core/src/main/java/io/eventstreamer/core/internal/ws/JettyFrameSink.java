package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.fanout.FrameSink;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

/**
 * Sends pre-encoded text frames through Jetty's core session, which can send a text frame from
 * bytes and batch frames (see shared/notes/jetty-12.1-websocket.md §2 and §9).
 */
final class JettyFrameSink implements FrameSink {
    private final CoreSession core;
    private final ScheduledExecutorService scheduler;
    private final Duration closeGrace;

    JettyFrameSink(CoreSession core, ScheduledExecutorService scheduler, Duration closeGrace) {
        this.core = core;
        this.scheduler = scheduler;
        this.closeGrace = closeGrace;
    }

    @Override
    public void send(ByteBuffer payload, boolean batch, WriteCallback callback) {
        Frame frame = new Frame(OpCode.TEXT, true, payload);
        if (callback == WriteCallback.NOOP) {
            core.sendFrame(frame, Callback.NOOP, batch);
            return;
        }
        core.sendFrame(frame, Callback.from(callback::written, callback::failed), batch);
    }

    @Override
    public void close(int statusCode, String reason) {
        core.close(statusCode, reason, Callback.NOOP);
        // A client that doesn't read never receives the close frame (it waits behind data): drop it.
        try {
            // The output is already closed once the close is queued; abort() after a completed close is a no-op.
            scheduler.schedule(core::abort, closeGrace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            core.abort();
        }
    }

    @Override
    public void disconnect() {
        core.abort();
    }
}
