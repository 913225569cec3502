package io.eventstreamer.core.internal.fanout;

/**
 * A transport that writes the engine's batches itself: one write in flight at a time, and a close
 * that waits behind the write in flight, after which no batch is written (a WebSocket client fails
 * the connection when a frame follows a close; an SSE response can't be written after its end).
 *
 * <p>A subclass marks each write with {@link #startWrite}, reports its end with
 * {@link #writeCompleted}, and starts its close with {@link #afterWrites(Runnable, boolean)}.
 */
public abstract class BatchTransport implements Transport {
    // Guarded by this: a write in flight and its callback, what waits for it to finish, and whether
    // a close has been started (or is waiting), after which no batch may follow.
    private boolean writing;
    private boolean closed;
    private WriteCallback writeCallback;
    private Runnable afterWrite;

    /**
     * Marks a write in flight, to be completed through {@code callback}; false, and nothing marked,
     * when a close went before it and this write is not the close itself.
     */
    protected final synchronized boolean startWrite(WriteCallback callback, boolean isClose) {
        if (closed && !isClose) {
            return false;
        }
        writing = true;
        writeCallback = callback;
        return true;
    }

    /**
     * The write in flight ended ({@code failure} null: all of it was written): completes its
     * callback, then runs what waited for it.
     */
    protected final void writeCompleted(Throwable failure) {
        WriteCallback callback;
        Runnable after;
        synchronized (this) {
            callback = writeCallback;
            after = afterWrite;
            writing = false;
            writeCallback = null;
            afterWrite = null;
        }
        if (callback != null) {
            if (failure == null) {
                callback.written();
            } else {
                callback.failed(failure);
            }
        }
        if (after != null) {
            after.run();
        }
    }

    /** Runs {@code action} once no write is in flight; no batch is written after it. */
    @Override
    public void afterWrites(Runnable action) {
        afterWrites(action, false);
    }

    /**
     * Runs {@code action} (a close) once no write is in flight, and refuses batches from then on;
     * false, and {@code action} dropped, when {@code unlessClosed} and a close already went before.
     */
    protected final boolean afterWrites(Runnable action, boolean unlessClosed) {
        synchronized (this) {
            if (closed && unlessClosed) {
                return false;
            }
            closed = true;
            if (writing) {
                Runnable before = afterWrite;
                afterWrite = before == null ? action : () -> {
                    before.run();
                    action.run();
                };
                return true;
            }
        }
        action.run();
        return true;
    }

    /** Refuses batches from now on: the connection can't be written any more. */
    protected final synchronized void refuseWrites() {
        closed = true;
    }
}
