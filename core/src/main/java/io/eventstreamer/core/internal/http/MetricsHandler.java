package io.eventstreamer.core.internal.http;

import io.eventstreamer.core.internal.metrics.HostMetrics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/** {@code GET /metrics}: the Prometheus text exposition format (version 0.0.4). */
public final class MetricsHandler extends Handler.Abstract {
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final HostMetrics metrics;

    public MetricsHandler(HostMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "GET")) {
            return true;
        }
        byte[] body = metrics.registry().scrape(CONTENT_TYPE).getBytes(StandardCharsets.UTF_8);
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, CONTENT_TYPE);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }
}
