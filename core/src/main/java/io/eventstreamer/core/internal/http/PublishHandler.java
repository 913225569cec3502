package io.eventstreamer.core.internal.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.internal.broker.BrokerUnavailableException;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.FlusherThreads;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.metrics.HostMetrics;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.InvalidEventException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eclipse.jetty.http.HttpHeader;
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
    private final Supplier<String> waitingFor;
    private final PublishesInFlight inFlight;
    private final HostMetrics metrics;
    private final PublishAccess access;
    private final int maxEvents;
    private final int maxBodySize;
    private final Duration bodyTimeout;

    /**
     * @param waitingFor what a starting host waits for (its broker), null once it is ready: until
     *     then every publish is refused with 503, so that none is accepted and then not delivered
     */
    public PublishHandler(Map<String, CategoryChannel> channels, Supplier<String> waitingFor, PublishesInFlight inFlight,
            HostMetrics metrics, BearerTokens tokens, Settings settings) {
        this.channels = channels;
        this.waitingFor = waitingFor;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.access = new PublishAccess(tokens, settings.security());
        this.maxEvents = settings.security().maxEventsPerPublish();
        this.maxBodySize = settings.publishMaxBodySize();
        this.bodyTimeout = settings.publishBodyTimeout();
    }

    /**
     * Checks everything that the head of the request decides (see {@link PublishAccess}), then
     * reads the body without holding a thread (see {@link BodyReader}); the request is answered
     * when the body is there.
     */
    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        if (!Routes.allow(request, response, callback, "POST")) {
            metrics.publishRequest(405);
            return true;
        }
        String waiting = waitingFor.get();
        if (waiting != null) {
            metrics.publishRequest(503);
            NotReady.answer(response, callback, waiting);
            return true;
        }
        PublishAccess.Refusal refusal = access.check(request);
        if (refusal != null) {
            if (refusal == PublishAccess.NO_TOKEN) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"event-streamer\"");
            }
            metrics.publishRequest(refusal.status());
            JsonResponses.error(response, callback, refusal.status(), refusal.message(), refusal.code());
            return true;
        }
        String publisher = access.publisher(request);
        long retryAfter = access.retryAfterForOne(publisher);
        if (retryAfter > 0) {
            // An empty bucket refuses any request, whatever its size: don't read a flood's bodies.
            rateLimited(response, callback, new RateLimited(retryAfter));
            return true;
        }
        BodyReader.read(request, request.getLength(), maxBodySize, bodyTimeout,
                new Exchange(response, callback, publisher));
        return true;
    }

    private void rateLimited(Response response, Callback callback, RateLimited e) {
        metrics.publishRequest(429);
        response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(e.retryAfterSeconds));
        JsonResponses.error(response, callback, 429, e.getMessage(), "rate-limited");
    }

    /** One request whose head passed the checks, waiting for its body. */
    private final class Exchange implements BodyReader.Outcome {
        private final Response response;
        private final Callback callback;
        private final String publisher;

        Exchange(Response response, Callback callback, String publisher) {
            this.response = response;
            this.callback = callback;
            this.publisher = publisher;
        }

        @Override
        public void read(byte[] bytes, int length) {
            byte[] body = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
            try {
                answer(body);
            } catch (RuntimeException e) {
                // Possibly not on the handler's thread: nobody else would complete the callback.
                LOG.warn("POST /api/events failed", e);
                callback.failed(e);
            }
        }

        private void answer(byte[] body) {
            try {
                List<String> ids = publish(body, publisher);
                metrics.publishRequest(202);
                JsonResponses.writeBytes(response, callback, 202, accepted(ids));
            } catch (RateLimited e) {
                rateLimited(response, callback, e);
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
                JsonResponses.error(response, callback, 503, "The host is shutting down; nothing was published",
                        "unavailable");
            }
        }

        @Override
        public void tooLarge() {
            metrics.publishRequest(413);
            JsonResponses.error(response, callback, 413,
                    "Request body is larger than the limit of " + maxBodySize + " bytes", "body-too-large");
        }

        @Override
        public void timedOut() {
            metrics.publishRequest(408);
            // The rest of the body may still be on its way: the connection can't be reused.
            response.getHeaders().put(HttpHeader.CONNECTION, "close");
            JsonResponses.error(response, callback, 408, "The request body did not arrive within "
                    + bodyTimeout.toMillis() + " ms (event-streamer.publish.body-timeout); nothing was published",
                    "body-timeout");
        }

        @Override
        public void failed(Throwable failure) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("POST /api/events: reading the body failed", failure);
            }
            callback.failed(failure);
        }
    }

    private List<String> publish(byte[] body, String publisher) {
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
        long retryAfter = access.retryAfter(publisher, prepared.size());
        if (retryAfter > 0) {
            throw new RateLimited(retryAfter);
        }
        // A stop waits for the requests in flight before it stops the broker, and refuses the later
        // ones whole: the 503 of a stopping host always means that nothing was published.
        if (!inFlight.enter()) {
            throw new IllegalStateException("the event-streamer host is not running");
        }
        List<String> ids = new ArrayList<>(prepared.size());
        // The flusher threads start when the whole batch is queued, and send it in one write per client.
        try (FlusherThreads.WakeUpScope scope = FlusherThreads.deferWakeUps()) {
            for (Prepared p : prepared) {
                ids.add(p.channel.publishAccepted(p.event));
            }
        } finally {
            inFlight.exit();
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

    private static final class Prepared {
        final CategoryChannel channel;
        final CategoryChannel.Prepared event;

        Prepared(CategoryChannel channel, CategoryChannel.Prepared event) {
            this.channel = channel;
            this.event = event;
        }
    }

    private static final class RateLimited extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final long retryAfterSeconds;

        RateLimited(long retryAfterSeconds) {
            super("This publisher is over its rate (event-streamer.limits.publish-events-per-second and"
                    + " publish-burst); nothing was published; retry after " + retryAfterSeconds + " s", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
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
