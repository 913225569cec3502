package io.eventstreamer.distribution;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * A WebSocket client endpoint that keeps every text message and the close code it received.
 * Public because Jetty invokes its methods reflectively.
 */
public final class RecordingEndpoint implements Session.Listener.AutoDemanding {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    private final List<String> received = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Session> session = new CompletableFuture<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    @Override
    public void onWebSocketOpen(Session openedSession) {
        session.complete(openedSession);
    }

    @Override
    public void onWebSocketText(String message) {
        received.add(message);
        inbox.add(message);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        closeCode.complete(statusCode);
        callback.succeed();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        received.add("[error: " + cause + "]");
    }

    /** Sends a text message and waits until it was written. */
    void send(String message) {
        Session open = session.getNow(null);
        if (open == null) {
            throw new AssertionError("the WebSocket session is not open");
        }
        CompletableFuture<Void> sent = new CompletableFuture<>();
        open.sendText(message, Callback.from(() -> sent.complete(null), sent::completeExceptionally));
        get(sent, Duration.ofSeconds(10), "sending " + message);
    }

    /**
     * Waits for a message that matches, skipping others (heartbeat pings, acks of earlier requests).
     *
     * @param what what is awaited, for the failure message
     */
    JsonNode awaitMessage(String what, Predicate<JsonNode> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String message = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (message == null) {
                    throw new AssertionError(String.format(
                            "no %s within %s; the client received: %s", what, timeout, received()));
                }
                JsonNode node = JSON.readTree(message);
                if (matches.test(node)) {
                    return node;
                }
            }
        } catch (JsonProcessingException e) {
            throw new AssertionError("the server sent a message that is not JSON; received: " + received(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Waits for the connection to be closed and returns the close code. */
    int awaitClose(Duration timeout) {
        return get(closeCode, timeout, "the connection to be closed");
    }

    List<String> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private <T> T get(CompletableFuture<T> future, Duration timeout, String what) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(String.format("waited %s for %s; received: %s", timeout, what, received()));
        } catch (ExecutionException e) {
            throw new AssertionError(String.format("%s failed; received: %s", what, received()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
