package io.eventstreamer.core.internal.http;

import io.eventstreamer.core.internal.broker.Broker;
import io.eventstreamer.core.internal.broker.BrokerUnavailableException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * {@code GET /api/cluster}: the hosts alive with their client counts, as each one last reported
 * them to the broker (with the memory broker, only this host). 503 while Redis is unreachable.
 */
public final class ClusterHandler extends Handler.Abstract {
    private final Broker broker;

    public ClusterHandler(Broker broker) {
        this.broker = broker;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "GET")) {
            return true;
        }
        try {
            JsonResponses.write(response, callback, 200, broker.clusterView());
        } catch (BrokerUnavailableException e) {
            JsonResponses.error(response, callback, 503, e.getMessage(), "broker-unavailable");
        }
        return true;
    }
}
