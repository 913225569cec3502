package io.eventstreamer.core.internal.cli;

import java.net.URI;
import java.util.Map;

/**
 * The lines {@code bin/event-streamer} prints once the server listens: the version, where to
 * connect and look, and the state of each source.
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
 * </pre>
 */
public final class StartupBanner {
    private static final String INDENT = "  ";
    private static final int LABEL_WIDTH = 11;

    private StartupBanner() {
    }

    /**
     * @param httpUri the base URI of the HTTP API, ending with '/'
     * @param sourceStates each source's category and state, in load order
     * @return the banner, ending with a line break
     */
    public static String render(String version, URI webSocketUri, URI httpUri, Map<String, String> sourceStates) {
        StringBuilder out = new StringBuilder();
        out.append("event-streamer ").append(version).append(" started\n");
        row(out, "WebSocket", webSocketUri.toString());
        row(out, "Console", httpUri.toString());
        row(out, "Status", httpUri.resolve("api/websocket/status").toString());
        row(out, "Metrics", httpUri.resolve("metrics").toString());
        row(out, "Health", httpUri.resolve("health/ready").toString());
        if (sourceStates.isEmpty()) {
            row(out, "Sources", "none (drop source jars into lib/ and restart)");
            return out.toString();
        }
        int width = 0;
        for (String category : sourceStates.keySet()) {
            width = Math.max(width, category.length());
        }
        String label = "Sources";
        for (Map.Entry<String, String> source : sourceStates.entrySet()) {
            row(out, label, String.format("%-" + width + "s  %s", source.getKey(), source.getValue()));
            label = "";
        }
        return out.toString();
    }

    private static void row(StringBuilder out, String label, String value) {
        out.append(INDENT).append(String.format("%-" + LABEL_WIDTH + "s", label)).append(value).append('\n');
    }
}
