package io.eventstreamer.core.internal.metrics;

import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The host's Prometheus metrics. Hot paths don't touch Micrometer: channels and clients count in
 * {@link java.util.concurrent.atomic.LongAdder}s that function counters read at scrape time; only
 * rare things (connections, publish requests) and sampled latencies are recorded directly.
 */
public final class HostMetrics implements AutoCloseable {
    /** Why a connection ended, as the {@code reason} label. */
    public enum CloseReason {
        NORMAL, STALE, CAPACITY, OVERFLOW, ERROR, SHUTDOWN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Counter opened;
    private final Map<CloseReason, Counter> closed = new java.util.EnumMap<>(CloseReason.class);
    private final Counter heartbeatTimeouts;
    private final Timer deliveryLatency;
    private final DistributionSummary queueDepth;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Map<Integer, Counter> publishRequests = new java.util.concurrent.ConcurrentHashMap<>();

    public HostMetrics() {
        opened = Counter.builder("eventstreamer.connections.opened")
                .description("WebSocket connections accepted").register(registry);
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, Counter.builder("eventstreamer.connections.closed")
                    .description("WebSocket connections ended, by reason").tag("reason", reason.label())
                    .register(registry));
        }
        heartbeatTimeouts = Counter.builder("eventstreamer.heartbeat.timeouts")
                .description("Clients closed because nothing arrived for connection-timeout").register(registry);
        deliveryLatency = Timer.builder("eventstreamer.delivery.latency")
                .description("From publish to the event's frame being written to the socket (the last event of"
                        + " each write, so one sample per system call)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        queueDepth = DistributionSummary.builder("eventstreamer.client.queue.depth")
                .description("Events queued per client, sampled for every client at each heartbeat")
                .baseUnit("events")
                .serviceLevelObjectives(1, 10, 50, 100, 500, 1000, 10000)
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Per-category gauges and counters, read from the channels when scraped. */
    public void bind(Map<String, CategoryChannel> channels, ClientRegistry clients) {
        Gauge.builder("eventstreamer.clients.connected", clients, ClientRegistry::count)
                .description("Connected clients, every transport").register(registry);
        for (String transport : ClientRegistry.TRANSPORTS) {
            Gauge.builder("eventstreamer.transport.clients", clients, c -> c.count(transport))
                    .description("Connected clients of one transport").tag("transport", transport).register(registry);
        }
        channels.forEach((category, channel) -> {
            Tags tags = Tags.of("category", category);
            Gauge.builder("eventstreamer.subscriptions", channel, CategoryChannel::subscriberCount)
                    .description("Clients subscribed to the category").tags(tags).register(registry);
            FunctionCounter.builder("eventstreamer.deliveries", channel, CategoryChannel::deliveries)
                    .description("Events written to subscribers' sockets (one per recipient)").tags(tags)
                    .register(registry);
            FunctionCounter.builder("eventstreamer.drops", channel, CategoryChannel::drops)
                    .description("Events dropped from slow clients' queues").tags(tags).register(registry);
            Gauge.builder("eventstreamer.history.events", channel, CategoryChannel::historySize)
                    .description("Events held in the category's history").tags(tags).register(registry);
            for (String eventType : channel.eventTypes()) {
                FunctionCounter.builder("eventstreamer.events.published", channel, c -> c.published(eventType))
                        .description("Events accepted for publishing").tags(tags.and("event", eventType))
                        .register(registry);
            }
        });
    }

    /** Jetty's thread pool (Micrometer's Jetty binder). */
    public void bind(ThreadPool threadPool) {
        new JettyServerThreadPoolMetrics(threadPool, Tags.empty()).bindTo(registry);
    }

    public void connectionOpened() {
        opened.increment();
    }

    public void connectionClosed(CloseReason reason) {
        closed.get(reason).increment();
    }

    public void heartbeatTimeout() {
        heartbeatTimeouts.increment();
    }

    public void deliveryLatency(long nanos) {
        deliveryLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    public void queueDepth(int events) {
        queueDepth.record(events);
    }

    public void publishRequest(int status) {
        // Looked up once per status: the registry's lookup builds an id and its tags on every call.
        publishRequests.computeIfAbsent(status, s -> registry.counter("eventstreamer.publish.requests", "status",
                Integer.toString(s))).increment();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
