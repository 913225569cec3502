package io.eventstreamer.spi;

/**
 * A plugin that provides one category of events.
 *
 * <p>Implementations are discovered with {@link java.util.ServiceLoader}: list the class in
 * {@code META-INF/services/io.eventstreamer.spi.EventSource} and drop the jar into the host's
 * {@code lib/} directory. The class needs a public no-argument constructor. A plugin compiles
 * against this module only, with {@code provided} scope.
 *
 * <p>The host calls {@link #catalog()} once at start-up, then {@link #start} (on the thread that
 * starts the host, so it must not block) with a context that gives the source its emitter and
 * configuration, and {@link #stop} when it shuts down. A source that is disabled in the
 * configuration ({@code event-streamer.sources.<category>.enabled = false}) is never started. A source that throws from {@code start} is reported as failed; the host and the
 * other sources keep running.
 *
 * <pre>{@code
 * public final class BillingSource implements EventSource {
 *     public String category() { return "billing"; }
 *     public EventCatalog catalog() {
 *         return EventCatalog.builder("billing")
 *                 .add(EventType.builder("invoice-paid", "An invoice was paid")
 *                         .required("invoiceId", JsonType.STRING, "Id of the invoice")
 *                         .build())
 *                 .build();
 *     }
 * }
 * }</pre>
 */
public interface EventSource {

    /** The category name, e.g. {@code error-recovery}: lower-case words joined by '-'. */
    String category();

    /** The event types of this category. Must have the same category as {@link #category()}. */
    EventCatalog catalog();

    /**
     * Starts the source. A source that only declares a catalog (its events are published by
     * applications through the host) does nothing here, which is the default. A source that
     * produces events itself keeps {@code context.emitter()} and may start its own threads.
     *
     * @throws Exception when the source can't start; the host reports it as failed
     */
    default void start(SourceContext context) throws Exception {
    }

    /** Stops the source and releases what it holds. Called once, also after a failed start. */
    default void stop() {
    }
}
