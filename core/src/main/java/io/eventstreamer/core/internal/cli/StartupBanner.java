package io.eventstreamer.core.internal.cli;

import io.eventstreamer.core.internal.config.SecuritySettings;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The lines {@code bin/event-streamer} prints once the server listens: the version, where to
 * connect and look, the state of each source, and a warning when any web page can read the stream.
 *
 * <pre>
 * event-streamer 0.1.0 started
 *   WebSocket  ws://127.0.0.1:8080/ws
 *   Console    http://127.0.0.1:8080/
 *   Status     http://127.0.0.1:8080/api/websocket/status
 *   Metrics    http://127.0.0.1:8080/metrics
 *   Health     http://127.0.0.1:8080/health/ready
 *   Sources    scheduler       running
 *              dlq             disabled
 *   Warning    auth is off and server.allowed-origins is empty: any web page opened in a browser on ...
 *              fix: event-streamer.server.allowed-origins = ["http://localhost:3000"] (the origin ...
 * </pre>
 */
public final class StartupBanner {
    private static final String INDENT = "  ";
    private static final int LABEL_WIDTH = 11;

    private StartupBanner() {
    }

    /**
     * With authentication off and no allowed origins, a browser lets any site the user visits open
     * a WebSocket to this server (WebSockets are not bound by the same-origin policy), so any web
     * page can read the stream. Returns the two lines that say so and how to fix it, else none.
     */
    public static List<String> openAccessWarning(SecuritySettings security) {
        if (security.authEnabled() || !security.allowedOrigins().isEmpty()) {
            return List.of();
        }
        return List.of("auth is off and server.allowed-origins is empty: any web page opened in a browser on this"
                        + " machine can read the stream",
                "fix: event-streamer.server.allowed-origins = [\"http://localhost:3000\"] (the origin of your"
                        + " dashboard), or auth.enabled = true; see docs/security.md");
    }

    /**
     * @param httpUri the base URI of the HTTP API, ending with '/'
     * @param sourceStates each source's category and state, in load order
     * @return the banner, ending with a line break
     */
    public static String render(String version, URI webSocketUri, URI httpUri, Map<String, String> sourceStates) {
        return render(version, webSocketUri, httpUri, sourceStates, List.of());
    }

    /**
     * @param httpUri the base URI of the HTTP API, ending with '/'
     * @param sourceStates each source's category and state, in load order
     * @param warning lines printed last, under the label "Warning" (e.g. {@link #openAccessWarning})
     * @return the banner, ending with a line break
     */
    public static String render(String version, URI webSocketUri, URI httpUri, Map<String, String> sourceStates,
            List<String> warning) {
        StringBuilder out = new StringBuilder();
        out.append("event-streamer ").append(version).append(" started\n");
        row(out, "WebSocket", webSocketUri.toString());
        row(out, "Console", httpUri.toString());
        row(out, "Status", httpUri.resolve("api/websocket/status").toString());
        row(out, "Metrics", httpUri.resolve("metrics").toString());
        row(out, "Health", httpUri.resolve("health/ready").toString());
        if (sourceStates.isEmpty()) {
            row(out, "Sources", "none (drop source jars into lib/ and restart)");
        } else {
            int width = 0;
            for (String category : sourceStates.keySet()) {
                width = Math.max(width, category.length());
            }
            String label = "Sources";
            for (Map.Entry<String, String> source : sourceStates.entrySet()) {
                row(out, label, String.format("%-" + width + "s  %s", source.getKey(), source.getValue()));
                label = "";
            }
        }
        String label = "Warning";
        for (String line : warning) {
            row(out, label, line);
            label = "";
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(INDENT).append(String.format("%-" + LABEL_WIDTH + "s", label)).append(value).append('\n');
    }
}
