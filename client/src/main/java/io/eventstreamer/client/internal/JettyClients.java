package io.eventstreamer.client.internal;

import java.time.Duration;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** The private Jetty {@link WebSocketClient} of a client that was not given a shared one. */
final class JettyClients {
    /** Enough for one selector and a few connection attempts; Jetty's default of 200 is for servers. */
    private static final int MAX_THREADS = 12;
    private static final int MIN_THREADS = 2;

    private JettyClients() {
    }

    static WebSocketClient create(String name, Duration connectTimeout) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("event-streamer-client-jetty-" + name);
        threads.setDaemon(true);
        HttpClient http = new HttpClient();
        http.setExecutor(threads);
        http.setScheduler(new ScheduledExecutorScheduler("event-streamer-client-jetty-scheduler-" + name, true));
        http.setConnectTimeout(connectTimeout.toMillis());
        return new WebSocketClient(http);
    }

    static void start(WebSocketClient client) {
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("could not start Jetty's WebSocket client", e);
        }
    }

    /** Stops it, logging rather than throwing: used from close(). */
    static void stop(WebSocketClient client) {
        LifeCycle.stop(client);
    }
}
