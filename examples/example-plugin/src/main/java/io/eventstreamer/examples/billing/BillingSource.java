package io.eventstreamer.examples.billing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventSource;
import io.eventstreamer.spi.SourceContext;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The {@value #CATEGORY} category: invoices paid and invoices overdue.
 *
 * <p>Applications publish its events, in-process with {@link BillingEvents} or over HTTP with
 * {@code POST /api/events}. When {@code event-streamer.sources.billing.demo-interval} is above
 * zero, the source also publishes made-up events itself ({@link DemoInvoices}), on a thread of its
 * own that {@link #stop()} ends. The host finds the source through
 * {@code META-INF/services/io.eventstreamer.spi.EventSource}.
 */
public final class BillingSource implements EventSource {
    /** The category name, {@value}. */
    public static final String CATEGORY = "billing";

    private ScheduledExecutorService demo;

    @Override
    public String category() {
        return CATEGORY;
    }

    @Override
    public EventCatalog catalog() {
        return BillingCatalog.catalog();
    }

    /**
     * Reads the source's settings and, when the demonstration is on, starts publishing. Returns at
     * once: the host calls it on its start-up thread.
     *
     * @throws IllegalArgumentException when a setting is invalid; the host then reports the source
     *         as failed, with this message, and runs on without it
     */
    @Override
    public void start(SourceContext context) {
        // The subtree event-streamer.sources.billing, this jar's reference.conf beneath it.
        Duration interval = demoInterval(context.config());
        if (interval.isZero()) {
            return;
        }
        DemoInvoices invoices = new DemoInvoices(new BillingEvents(context.emitter()));
        demo = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "billing-demo");
            thread.setDaemon(true);
            return thread;
        });
        demo.scheduleAtFixedRate(invoices::publishNext, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        if (demo != null) {
            demo.shutdownNow();
        }
    }

    private static Duration demoInterval(Config config) {
        String key = "event-streamer.sources.billing.demo-interval";
        Duration interval;
        try {
            interval = config.getDuration("demo-interval");
        } catch (ConfigException.Missing e) {
            throw new IllegalArgumentException(key + " is missing; expected a duration such as 5s, or 0s");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(String.format("%s was %s but must be a duration such as 5s, or 0s",
                    key, config.getValue("demo-interval").unwrapped()));
        }
        if (interval.isNegative()) {
            throw new IllegalArgumentException(String.format("%s was %s but must be >= 0 (0s turns the demo off)",
                    key, config.getValue("demo-interval").unwrapped()));
        }
        return interval;
    }
}
