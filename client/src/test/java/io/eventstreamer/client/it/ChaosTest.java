package io.eventstreamer.client.it;

import static io.eventstreamer.client.it.TestEvents.ALPHA;
import static io.eventstreamer.client.it.TestEvents.BETA;
import static org.assertj.core.api.Assertions.assertThat;

import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.client.StreamEvent;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.HostExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several clients whose connections are reset at random while a publisher runs at a steady rate:
 * in the end each client has every event of its categories exactly once, in order, and no gap
 * (history is large enough). Bounded in time; prints one line with the numbers.
 */
class ChaosTest {
    private static final long SEED = 0x5EED_2026L;
    private static final int CLIENTS = 5;
    private static final int EVENTS_PER_SECOND = 2_000;
    private static final Duration PUBLISHING = Duration.ofSeconds(8);
    private static final int MIN_CUT_INTERVAL_MILLIS = 200;
    private static final int MAX_CUT_INTERVAL_MILLIS = 800;
    private static final Duration CATCH_UP = Duration.ofSeconds(15);

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final Closer closer = new Closer();

    @AfterEach
    void closeClients() throws Exception {
        closer.closeAll();
    }

    @Test
    @DisplayName("clients cut at random every 200-800 ms under a steady publisher receive every event of their categories once, in order, with no gap")
    void randomCutsUnderSteadyPublishing() throws Exception {
        long started = System.nanoTime();
        // History holds the whole run, so no resume can fail. The queue is 2 s of the whole stream
        // rather than the default 100 events (50 ms at this rate): on a loaded 2-core machine the
        // test JVM (host, clients and proxies) can stall longer than that, and the drops, rightly
        // reported as overflow gaps, are the slow-consumer tests' business, not this one's.
        EventStreamer host = hosts.start("history.size = 100000", "message-queue-size = 4000");
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            subscribers.add(subscriber(host, i));
        }
        for (Subscriber subscriber : subscribers) {
            assertThat(subscriber.client.awaitSubscribed(Duration.ofSeconds(10))).as("client %d subscribed", subscriber.number).isTrue();
        }

        Map<String, AtomicInteger> published = Map.of(ALPHA, new AtomicInteger(), BETA, new AtomicInteger());
        AtomicInteger cuts = new AtomicInteger();
        Thread publisher = new Thread(() -> publish(host, published), "chaos-publisher");
        ScheduledExecutorService cutter = Executors.newSingleThreadScheduledExecutor();
        publisher.start();
        for (Subscriber subscriber : subscribers) {
            scheduleCuts(cutter, subscriber, new Random(SEED + subscriber.number), publisher, cuts);
        }
        publisher.join(PUBLISHING.plusSeconds(10).toMillis());
        assertThat(publisher.isAlive()).as("publisher finished").isFalse();
        cutter.shutdownNow();
        assertThat(cutter.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

        awaitCatchUp(subscribers, published);

        Tally tally = new Tally();
        for (Subscriber subscriber : subscribers) {
            for (String category : subscriber.categories) {
                tally.add(subscriber.sequences(category), published.get(category).get());
            }
            tally.gaps += subscriber.recorder.gaps().size();
            tally.reconnects += subscriber.recorder.subscriptions() - 1;
        }
        System.out.printf("chaos: clients=%d cuts=%d reconnects=%d events=%d (%s=%d, %s=%d) expected-deliveries=%d "
                        + "received=%d losses=%d duplicates=%d out-of-order=%d gaps=%d seed=%d time=%.1fs%n",
                CLIENTS, cuts.get(), tally.reconnects, published.get(ALPHA).get() + published.get(BETA).get(),
                ALPHA, published.get(ALPHA).get(), BETA, published.get(BETA).get(), tally.expected, tally.received,
                tally.losses, tally.duplicates, tally.outOfOrder, tally.gaps, SEED,
                (System.nanoTime() - started) / 1e9);

        for (Subscriber subscriber : subscribers) {
            subscriber.recorder.gaps().forEach(gap -> System.out.printf("chaos: client %d got a gap: %s %s%n",
                    subscriber.number, gap.reason(), gap.data()));
        }
        assertThat(cuts.get()).as("connections cut").isGreaterThanOrEqualTo(CLIENTS * 5);
        assertThat(tally.losses).as("events lost").isZero();
        assertThat(tally.duplicates).as("events delivered twice").isZero();
        assertThat(tally.outOfOrder).as("events out of order").isZero();
        assertThat(tally.gaps).as("gap notices (history is large enough)").isZero();
        for (Subscriber subscriber : subscribers) {
            for (String category : subscriber.categories) {
                int count = published.get(category).get();
                assertThat(subscriber.sequences(category)).as("client %d, %s", subscriber.number, category)
                        .hasSize(count).isSorted();
            }
        }
    }

    /** Clients 0 and 3: alpha only; 1 and 4: beta only; 2: both. */
    private Subscriber subscriber(EventStreamer host, int number) throws Exception {
        List<String> categories;
        if (number % 3 == 0) {
            categories = List.of(ALPHA);
        } else if (number % 3 == 1) {
            categories = List.of(BETA);
        } else {
            categories = List.of(ALPHA, BETA);
        }
        CuttableProxy proxy = closer.add(new CuttableProxy(host.port()));
        Recorder recorder = new Recorder();
        EventStreamClient client = closer.add(recorder.attach(EventStreamClient.builder(proxy.webSocketUri()))
                .clientId("chaos-" + number)
                .categories(categories)
                .reconnectDelay(Duration.ofMillis(5), Duration.ofMillis(100))
                .random(new Random(SEED * 31 + number))
                .build());
        client.start();
        return new Subscriber(number, categories, proxy, recorder, client);
    }

    /** Alternates alpha and beta events at a steady total rate; each carries its sequence number in its category. */
    private static void publish(EventStreamer host, Map<String, AtomicInteger> published) {
        long interval = TimeUnit.SECONDS.toNanos(1) / EVENTS_PER_SECOND;
        long total = PUBLISHING.toSeconds() * EVENTS_PER_SECOND;
        long due = System.nanoTime();
        for (long i = 0; i < total; i++) {
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait); // pacing the publisher, not synchronizing with it
            }
            // After a stall, carry on at the same rate rather than catching up in a burst.
            due = Math.max(due, System.nanoTime()) + interval;
            if (i % 2 == 0) {
                TestEvents.alpha(host, published.get(ALPHA).getAndIncrement());
            } else {
                TestEvents.beta(host, published.get(BETA).getAndIncrement());
            }
        }
    }

    private static void scheduleCuts(ScheduledExecutorService cutter, Subscriber subscriber, Random random, Thread publisher,
            AtomicInteger cuts) {
        long delay = MIN_CUT_INTERVAL_MILLIS + random.nextInt(MAX_CUT_INTERVAL_MILLIS - MIN_CUT_INTERVAL_MILLIS + 1);
        cutter.schedule(() -> {
            if (publisher.isAlive()) {
                cuts.addAndGet(subscriber.proxy.cutAll());
                scheduleCuts(cutter, subscriber, random, publisher, cuts);
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Waits until every client has as many events as were published in its categories, or CATCH_UP passed. */
    private static void awaitCatchUp(List<Subscriber> subscribers, Map<String, AtomicInteger> published) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) {
            boolean complete = true;
            for (Subscriber subscriber : subscribers) {
                int expected = subscriber.categories.stream().mapToInt(c -> published.get(c).get()).sum();
                complete &= subscriber.recorder.eventCount() >= expected;
            }
            if (complete) {
                return;
            }
            Thread.sleep(50); // polling a condition, bounded by CATCH_UP
        }
    }

    private record Subscriber(int number, List<String> categories, CuttableProxy proxy, Recorder recorder,
            EventStreamClient client) {

        /** The publisher's sequence numbers of the events received in {@code category}, in delivery order. */
        List<Integer> sequences(String category) {
            String field = ALPHA.equals(category) ? "count" : "seq";
            return recorder.events().stream()
                    .filter(event -> event.category().equals(category))
                    .map(StreamEvent::data)
                    .map(data -> data.get(field).asInt())
                    .toList();
        }
    }

    private static final class Tally {
        long expected;
        long received;
        long losses;
        long duplicates;
        long outOfOrder;
        long gaps;
        long reconnects;

        void add(List<Integer> sequences, int published) {
            expected += published;
            received += sequences.size();
            Set<Integer> distinct = new HashSet<>(sequences);
            duplicates += sequences.size() - distinct.size();
            for (int seq = 0; seq < published; seq++) {
                if (!distinct.contains(seq)) {
                    losses++;
                }
            }
            for (int i = 1; i < sequences.size(); i++) {
                if (sequences.get(i) <= sequences.get(i - 1)) {
                    outOfOrder++;
                }
            }
        }
    }
}
