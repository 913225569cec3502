package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.fanout.BatchTransport;
import io.eventstreamer.core.internal.fanout.Framing;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.WebSocketConnection;
import org.eclipse.jetty.websocket.core.WebSocketCoreSession;

/**
 * The WebSocket transport of one connection: writes a client's frames to it.
 *
 * <p>When no extension was negotiated (no permessage-deflate), a batch arrives laid out by
 * {@link WebSocketFraming} and goes straight to the connection's end point in one write: Jetty's frame path costs
 * about as much per frame as the system call that carries a whole batch (notes §9). Jetty itself
 * still writes the close handshake. An end point takes one write at a time, so whatever Jetty is
 * to write (a close, the answer to the client's close) waits until the write in flight is done.
 *
 * <p>On a plain (not TLS) connection the batch is first written straight to the socket channel,
 * which is non-blocking: usually it all goes in that one system call and the write is complete
 * without Jetty's write state machine. What the socket doesn't take goes to the end point, which
 * finishes it when the socket can take more.
 *
 * <p>With an extension, each payload goes through Jetty's core session, which frames, compresses
 * and batches it.
 */
final class JettyTransport extends BatchTransport {
    private final CoreSession core;
    private final EndPoint endPoint;
    // The same end point when it is plain TCP: its channel is written to directly while Jetty has no
    // write of its own pending.
    private final SocketChannelEndPoint plain;
    private final ScheduledExecutorService scheduler;
    private final Duration closeGrace;
    private final FramesWritten framesWritten = new FramesWritten();
    private final CloseWritten closeWritten = new CloseWritten();

    JettyTransport(CoreSession core, ScheduledExecutorService scheduler, Duration closeGrace) {
        this.core = core;
        this.endPoint = rawEndPoint(core);
        this.plain = endPoint instanceof SocketChannelEndPoint ? (SocketChannelEndPoint) endPoint : null;
        this.scheduler = scheduler;
        this.closeGrace = closeGrace;
    }

    /** The end point to write framed bytes to, or null when Jetty must frame them (an extension is in use). */
    private static EndPoint rawEndPoint(CoreSession core) {
        if (!(core instanceof WebSocketCoreSession) || !core.getNegotiatedExtensions().isEmpty()) {
            return null;
        }
        WebSocketConnection connection = ((WebSocketCoreSession) core).getConnection();
        return connection == null ? null : connection.getEndPoint();
    }

    @Override
    public String name() {
        return "websocket";
    }

    /** {@link WebSocketFraming}, or none when Jetty must frame each message (an extension is in use). */
    @Override
    public Framing framing() {
        return endPoint == null ? null : WebSocketFraming.INSTANCE;
    }

    @Override
    public void write(ByteBuffer frames, WriteCallback callback) {
        if (!startWrite(callback, false)) {
            // The flusher took this batch just before the close: nothing may follow a close frame
            // (a client fails the connection with 1006 when something does).
            callback.failed(new ClosedChannelException());
            return;
        }
        write(frames);
    }

    /** Writes framed bytes, marked with {@link #startWrite}; {@link #framesWritten} completes the write. */
    private void write(ByteBuffer frames) {
        if (plain != null && !plain.getWriteFlusher().isPending()) {
            int written;
            try {
                written = plain.getChannel().write(frames);
            } catch (IOException e) {
                framesWritten.failed(e);
                return;
            }
            if (written > 0) {
                plain.notIdle(); // as Jetty's own writes do: the idle timeout counts them
            }
            if (!frames.hasRemaining()) {
                framesWritten.succeeded();
                return;
            }
        }
        try {
            endPoint.write(framesWritten, frames);
        } catch (RuntimeException e) {
            // Jetty is writing a close at this moment (WritePendingException): the connection is ending.
            framesWritten.failed(e);
        }
    }

    /** Only with an extension: Jetty frames (and compresses) the message. */
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
        closeWith(null, statusCode, reason);
    }

    /**
     * Sends {@code message} (when not null) and a close frame behind what is already written.
     *
     * <p>On a connection that takes framed bytes the close frame is written here and the output
     * shut down after it, while reading goes on until the client answers the close. Jetty itself
     * closes the socket as soon as it has written a close whose code is not 1000 (1001, 1008, 1011:
     * every close a server starts). A socket closed while the client's messages are still unread
     * resets the connection, and the client's TCP stack then drops the close frame it had not yet
     * read: a client flooding messages saw 1006 instead of 1008 and never read why.
     */
    @Override
    public void closeWith(byte[] message, int statusCode, String reason) {
        Runnable close;
        if (endPoint == null) {
            close = () -> {
                if (message != null) {
                    core.sendFrame(new Frame(OpCode.TEXT, true, ByteBuffer.wrap(message)), Callback.NOOP, false);
                }
                core.close(statusCode, reason, Callback.NOOP);
            };
        } else {
            close = () -> {
                startWrite(closeWritten, true);
                write(WebSocketFraming.closingFrames(message, statusCode, reason));
            };
        }
        // Only the first close goes out: after it, or while the client's close is being answered,
        // another would be a frame after a close.
        if (afterWrites(close, true)) {
            disconnectAfterGrace();
        }
    }

    private void disconnectAfterGrace() {
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

    /** Completion of the write of the close frame: shut the output down, keep reading for the answer. */
    private final class CloseWritten implements WriteCallback {
        @Override
        public void written() {
            endPoint.shutdownOutput();
        }

        @Override
        public void failed(Throwable cause) {
            core.abort();
        }
    }

    /** Completion of a write of framed bytes; one object per connection, as one write is in flight at a time. */
    private final class FramesWritten implements Callback {
        @Override
        public InvocationType getInvocationType() {
            // It only hands work to the flusher threads or queues a close: fine on a selector thread.
            return InvocationType.NON_BLOCKING;
        }

        @Override
        public void succeeded() {
            writeCompleted(null);
        }

        @Override
        public void failed(Throwable cause) {
            writeCompleted(cause);
        }
    }
}
