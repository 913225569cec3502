package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.eventstreamer.core.internal.fanout.BrokerUnavailableException;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.FlusherThreads;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.metrics.HostMetrics;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.InvalidEventException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/events}: one event or an array of events. A batch is validated and encoded as
 * a whole before any of it is published, so it is published entirely or not at all.
 */
public final class PublishHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(PublishHandler.class);

    private final Map<String, CategoryChannel> channels;
    private final int maxBodySize;
    private final HostMetrics metrics;
    private final BearerTokens tokens;
    private final int maxEvents;

    public PublishHandler(Map<String, CategoryChannel> channels, int maxBodySize, HostMetrics metrics,
            BearerTokens tokens, int maxEvents) {
        this.channels = channels;
        this.maxBodySize = maxBodySize;
        this.metrics = metrics;
        this.tokens = tokens;
        this.maxEvents = maxEvents;
    }

    /** Publish tokens when configured, else loopback clients only; answers and returns false otherwise. */
    private boolean allowed(Request request, Response response, Callback callback) {
        if (tokens.isConfigured()) {
            String presented = BearerTokens.presented(request);
            if (presented == null) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"event-streamer\"");
                deny(response, callback, 401, "Publishing needs \"Authorization: Bearer <publish token>\"", "unauthorized");
                return false;
            }
            if (!tokens.accepts(presented)) {
                deny(response, callback, 403, "This token may not publish", "forbidden");
                return false;
            }
            return true;
        }
        SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
        if (remote instanceof InetSocketAddress && ((InetSocketAddress) remote).getAddress() != null
                && ((InetSocketAddress) remote).getAddress().isLoopbackAddress()) {
            return true;
        }
        deny(response, callback, 403, "Without publish tokens configured (event-streamer.publish.tokens), only"
                + " loopback clients may publish", "forbidden");
        return false;
    }

    private void deny(Response response, Callback callback, int status, String message, String code) {
        metrics.publishRequest(status);
        JsonResponses.error(response, callback, status, message, code);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws IOException {
        if (!Routes.allow(request, response, callback, "POST")) {
            metrics.publishRequest(405);
            return true;
        }
        if (!allowed(request, response, callback)) {
            return true;
        }
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        byte[] body = declared > maxBodySize ? null : readAtMost(request, maxBodySize, declared);
        if (body == null) {
            metrics.publishRequest(413);
            JsonResponses.error(response, callback, 413,
                    "Request body is larger than the limit of " + maxBodySize + " bytes", "body-too-large");
            return true;
        }
        try {
            List<String> ids = publish(body);
            metrics.publishRequest(202);
            JsonResponses.writeBytes(response, callback, 202, accepted(ids));
        } catch (BadRequest e) {
            metrics.publishRequest(e.status);
            JsonResponses.error(response, callback, e.status, e.getMessage(), e.code);
        } catch (BrokerUnavailableException e) {
            metrics.publishRequest(503);
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            JsonResponses.error(response, callback, 503, "The event broker is unavailable; nothing was published from"
                    + " the event that failed on; retry later", "broker-unavailable");
        } catch (IllegalStateException e) {
            metrics.publishRequest(503);
            JsonResponses.error(response, callback, 503, "The host is shutting down", "unavailable");
        }
        return true;
    }

    private List<String> publish(byte[] body) {
        if (isBlank(body)) {
            throw new BadRequest("Request body is empty; send an event object or an array of them", "empty-body");
        }
        PublishBody parsed;
        try {
            parsed = PublishBody.parse(body);
        } catch (JacksonException e) {
            throw new BadRequest("Request body is not valid JSON", "invalid-json");
        } catch (NumberFormatException | ArithmeticException e) {
            // A number the parser reads but no BigDecimal can hold, e.g. 1e99999999999.
            throw new BadRequest("Request body has a number that is out of range", "invalid-json");
        } catch (IOException e) {
            throw new BadRequest("Request body could not be read", "invalid-json");
        }
        List<PublishBody.Element> events = parsed.elements();
        List<Prepared> prepared = new ArrayList<>(events.size());
        if (parsed.isArray()) {
            if (events.isEmpty()) {
                throw new BadRequest("The event array is empty", "empty-batch");
            }
            if (events.size() > maxEvents) {
                throw new BadRequest(413, "At most " + maxEvents + " events per request (event-streamer.limits"
                        + ".max-events-per-publish); this one has " + events.size(), "too-many-events");
            }
            for (int i = 0; i < events.size(); i++) {
                prepared.add(prepare(events.get(i), body, "events[" + i + "]: "));
            }
        } else {
            prepared.add(prepare(events.get(0), body, ""));
        }
        List<String> ids = new ArrayList<>(prepared.size());
        // The flusher threads start when the whole batch is queued, and send it in one write per client.
        try (FlusherThreads.WakeUpScope scope = FlusherThreads.deferWakeUps()) {
            for (Prepared p : prepared) {
                ids.add(p.channel.publish(p.event));
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("POST /api/events published {} event(s)", ids.size());
        }
        return ids;
    }

    private Prepared prepare(PublishBody.Element event, byte[] body, String where) {
        if (!event.isObject()) {
            throw new BadRequest(where + "an event must be a JSON object with \"category\", \"event\" and \"data\"",
                    "invalid-event");
        }
        String category = event.category();
        if (category == null) {
            throw new BadRequest(where + "\"category\" must be a string", "unknown-category");
        }
        CategoryChannel channel = channels.get(category);
        if (channel == null) {
            throw new BadRequest(where + "unknown category " + Json.quote(category)
                    + "; available: " + String.join(", ", channels.keySet()), "unknown-category");
        }
        if (!event.eventTypeIsString()) {
            throw new BadRequest(where + "\"event\" must be a string", "unknown-event-type");
        }
        Map<String, Object> payload = event.data();
        if (payload == null) {
            throw new BadRequest(where + "\"data\" must be a JSON object with the event's payload", "invalid-payload");
        }
        try {
            EventType eventType = channel.catalog().validate(event.eventType(), payload);
            // The data goes out as the publisher wrote it: the parser accepted it, the catalog checked it.
            return new Prepared(channel, channel.prepareRaw(eventType, payload, body, event.dataStart(),
                    event.dataEnd()));
        } catch (InvalidEventException e) {
            throw new BadRequest(where + e.getMessage(), e.reason().code());
        }
    }

    /**
     * {@code {"accepted":N,"ids":[...]}}, written directly: a tree of the ids and its serialization
     * cost more than parsing a batch's events.
     */
    private static byte[] accepted(List<String> ids) {
        StringBuilder out = new StringBuilder(32 + ids.size() * 24);
        out.append("{\"accepted\":").append(ids.size()).append(",\"ids\":[");
        JsonStringEncoder encoder = JsonStringEncoder.getInstance();
        for (int i = 0; i < ids.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append('"');
            encoder.quoteAsString(ids.get(i), out);
            out.append('"');
        }
        return out.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Whether the body is empty or only JSON whitespace (without decoding it to a string). */
    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    /** The body, or null when it is longer than {@code max}; read straight into one array when its length is declared. */
    private static byte[] readAtMost(Request request, int max, long declared) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            if (declared >= 0) {
                // Jetty holds the body to its declared length (declared <= max was checked). Read
                // straight into the array: readNBytes(int) reads in 8 KB chunks and copies them again.
                byte[] bytes = new byte[(int) declared];
                int read = in.readNBytes(bytes, 0, bytes.length);
                return read == bytes.length ? bytes : Arrays.copyOf(bytes, read);
            }
            byte[] bytes = in.readNBytes(max + 1);
            return bytes.length > max ? null : bytes;
        }
    }

    private static final class Prepared {
        final CategoryChannel channel;
        final CategoryChannel.Prepared event;

        Prepared(CategoryChannel channel, CategoryChannel.Prepared event) {
            this.channel = channel;
            this.event = event;
        }
    }

    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String code;
        final int status;

        BadRequest(String message, String code) {
            this(400, message, code);
        }

        BadRequest(int status, String message, String code) {
            super(message, null, false, false);
            this.code = code;
            this.status = status;
        }
    }
}
