package io.eventstreamer.core.internal;

import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.eventstreamer.core.internal.broker.Broker;
import io.eventstreamer.core.internal.http.ClusterHandler;
import io.eventstreamer.core.internal.http.ConnectionsHandler;
import io.eventstreamer.core.internal.http.Console;
import io.eventstreamer.core.internal.http.DiagnosticsHandler;
import io.eventstreamer.core.internal.http.HealthHandler;
import io.eventstreamer.core.internal.http.HttpConnectionGuard;
import io.eventstreamer.core.internal.http.JsonErrorHandler;
import io.eventstreamer.core.internal.http.MetricsHandler;
import io.eventstreamer.core.internal.metrics.HostMetrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.jetty12.server.TimedHandler;
import io.eventstreamer.core.internal.http.PublishHandler;
import io.eventstreamer.core.internal.http.PublishesInFlight;
import io.eventstreamer.core.internal.http.Routes;
import io.eventstreamer.core.internal.http.SchemaHandler;
import io.eventstreamer.core.internal.http.SourcesHandler;
import io.eventstreamer.core.internal.http.StatusHandler;
import io.eventstreamer.core.internal.plugin.SourceRegistry;
import io.eventstreamer.core.internal.sse.SseHandler;
import io.eventstreamer.core.internal.ws.WebSocketService;
import java.time.Duration;
import java.util.Map;
import org.eclipse.jetty.http.pathmap.PathSpec;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.http.AdminAccess;
import io.eventstreamer.core.internal.http.BearerTokens;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.SecuredRedirectHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.PathMappingsHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/** The embedded Jetty server: one connector, the WebSocket endpoint and the HTTP API on one port. */
final class JettyServer {
    private static final int MIN_THREADS = 8;
    /**
     * Threads run HTTP requests and WebSocket reads and upgrades, none of which waits long, so more
     * threads than a few per core only cost memory: a burst of upgrades (a reconnect storm) would
     * grow the pool to its maximum, and each thread keeps its stack.
     */
    private static final int MAX_THREADS = Math.min(200, Math.max(16, 8 * Runtime.getRuntime().availableProcessors()));

    private final Server server;
    private final ServerConnector connector;
    private final boolean secure;
    private final HttpConfiguration redirectConfig;
    private final HttpConnectionGuard guard;

    /** {@code sse} is null when Server-Sent Events are off. */
    JettyServer(Settings settings, WebSocketService webSocket, SseHandler sse, ClientRegistry registry,
            Map<String, CategoryChannel> channels, SourceRegistry sources, HostMetrics metrics, Broker broker,
            PublishesInFlight publishes) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("event-streamer-http");
        this.server = new Server(threads);
        SecuritySettings security = settings.security();
        this.secure = security.tlsEnabled();
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        this.guard = new HttpConnectionGuard(settings.requestHeaderTimeout(), security.maxHttpConnectionsPerAddress(),
                server.getScheduler());
        if (secure) {
            httpConfig.addCustomizer(new SecureRequestCustomizer(false));
            this.connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(sslContext(security), "http/1.1"),
                    guarded(httpConfig, guard));
        } else {
            this.connector = new ServerConnector(server, 1, 1, guarded(httpConfig, guard));
        }
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        connector.setAcceptQueueSize(4096);
        server.addConnector(connector);
        this.redirectConfig = httpConfig;
        if (secure && security.httpRedirectPort() > 0) {
            // Plain HTTP on another port, answered by SecuredRedirectHandler with a redirect to https.
            ServerConnector plain = new ServerConnector(server, 1, 1, guarded(httpConfig, guard));
            plain.setHost(settings.host());
            plain.setPort(security.httpRedirectPort());
            server.addConnector(plain);
        }
        AdminAccess admin = new AdminAccess(security.adminToken());

        PathMappingsHandler http = new PathMappingsHandler();
        http.addMapping(PathSpec.from("/api/websocket/status"),
                new StatusHandler(registry, channels, settings.clientTracking(), admin));
        http.addMapping(PathSpec.from("/api/events"),
                new PublishHandler(channels, broker::waitingFor, publishes, metrics,
                        new BearerTokens(security.publishTokens()), settings));
        // Host names and client counts of every node: not for anyone who can reach the port.
        http.addMapping(PathSpec.from("/api/cluster"), admin.only(new ClusterHandler(broker)));
        http.addMapping(PathSpec.from("/metrics"), new MetricsHandler(metrics));
        http.addMapping(PathSpec.from("/api/sources"), new SourcesHandler(sources));
        // What /api/sources tells, as JSON Schemas or TypeScript: open like it.
        http.addMapping(PathSpec.from("/api/schema"), new SchemaHandler(sources.enabledCatalogs()));
        http.addMapping(PathSpec.from("/api/diagnostics"),
                new DiagnosticsHandler(registry, channels, settings.clientTracking(), admin));
        http.addMapping(PathSpec.from("/health/live"), HealthHandler.live());
        http.addMapping(PathSpec.from("/health/ready"),
                HealthHandler.ready(webSocket::isAccepting, broker::waitingFor, sources));
        http.addMapping(PathSpec.from("/api/admin/connections"),
                admin.only(new ConnectionsHandler(registry, settings.clientTracking())));
        http.addMapping(PathSpec.from(""), Console.redirect());
        http.addMapping(PathSpec.from(Console.PATH + "/*"), Console.files());
        http.addMapping(PathSpec.from(Console.CLIENT_PATH), Console.clientModule());
        http.addMapping(PathSpec.from("/"), Routes.notFound());

        // Jetty's idle timeout counts writes too, so our own pings keep it from firing: the stale
        // check in session.Sessions is what closes silent clients. This is only a backstop.
        Duration idle = settings.connectionTimeout().plus(settings.heartbeatInterval());
        // Jetty's core WebSocket level, not its API level: the API keeps the upgrade request and
        // per-session method handles for as long as a connection lives (docs/benchmarks.md).
        WebSocketUpgradeHandler ws = new WebSocketUpgradeHandler(WebSocketServerComponents.ensureWebSocketComponents(server),
                handler -> {
                    Configuration config = handler.getConfiguration();
                    config.setIdleTimeout(idle);
                    config.setMaxTextMessageSize(settings.maxMessageSize());
                    config.setMaxBinaryMessageSize(settings.maxMessageSize());
                    config.setInputBufferSize(settings.inputBufferSize());
                    config.setOutputBufferSize(settings.outputBufferSize());
                    handler.addMapping(settings.path(), webSocket);
                });
        // Micrometer's Jetty binder times the HTTP API (not the long-lived WebSocket upgrades and
        // SSE streams, which the connection metrics count).
        TimedHandler timed = new TimedHandler(metrics.registry(), Tags.empty());
        timed.setHandler(http);
        if (sse == null) {
            ws.setHandler(timed);
        } else {
            sse.setServer(server);
            sse.releaseStreamsFrom(guard);
            String ssePath = settings.ssePath();
            Handler.Wrapper streams = new Handler.Wrapper(timed) {
                @Override
                public boolean handle(Request request, Response response, Callback callback) throws Exception {
                    if (ssePath.equals(Request.getPathInContext(request))) {
                        return sse.handle(request, response, callback);
                    }
                    return super.handle(request, response, callback);
                }
            };
            streams.addBean(sse);
            ws.setHandler(streams);
        }
        metrics.bind(threads);
        if (secure && security.httpRedirectPort() > 0) {
            SecuredRedirectHandler redirect = new SecuredRedirectHandler();
            redirect.setHandler(ws);
            server.setHandler(redirect);
        } else {
            server.setHandler(ws);
        }
        // Errors that Jetty answers itself (unparsable requests, refused upgrades) in the API's JSON shape.
        server.setErrorHandler(new JsonErrorHandler());
        server.setStopTimeout(2_000);
    }

    /**
     * HTTP connections that the guard hears of (request-head deadline, per-address cap). The guard
     * listens to these connections only: as a bean of the connector, Jetty would add it to every
     * connection, WebSocket ones included, and the fan-out ceiling measured 2.8M deliveries/s with
     * it there against 4.0M without (docs/benchmarks.md).
     */
    private static HttpConnectionFactory guarded(HttpConfiguration config, HttpConnectionGuard guard) {
        return new HttpConnectionFactory(config) {
            @Override
            public Connection newConnection(Connector connector, EndPoint endPoint) {
                Connection connection = super.newConnection(connector, endPoint);
                connection.addEventListener(guard);
                return connection;
            }
        };
    }

    void start() throws Exception {
        server.start();
        // After the server: its scheduler runs the guard's sweep.
        guard.start();
        // Known only now when server.port is 0: where plain-HTTP requests are redirected to.
        redirectConfig.setSecurePort(connector.getLocalPort());
        redirectConfig.setSecureScheme("https");
    }

    boolean isSecure() {
        return secure;
    }

    private static SslContextFactory.Server sslContext(SecuritySettings security) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(security.keystoreFile().toAbsolutePath().toString());
        ssl.setKeyStoreType("PKCS12");
        ssl.setKeyStorePassword(security.keystorePassword());
        if (!security.keyPassword().isEmpty()) {
            ssl.setKeyManagerPassword(security.keyPassword());
        }
        return ssl;
    }

    void stop() throws Exception {
        guard.stop();
        server.stop();
    }

    int port() {
        return connector.getLocalPort();
    }
}
