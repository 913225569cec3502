package io.eventstreamer.core.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.core.internal.config.CategorySettings;
import io.eventstreamer.core.internal.config.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Broker} promises the engine, as a test kit: a broker is one class plus its
 * settings, and passes this by extending it (like the SPI's contract kit for sources). The kit
 * talks to a broker only through {@link Broker}, {@link CategoryLog} and {@link LogReader}: what
 * it appends must reach the reader once and in id order, replays must hold exactly the entries
 * between two ids, and every id a client can send must get an answer, never an exception.
 */
abstract class BrokerContract {
    protected static final Duration WAIT = Duration.ofSeconds(10);
    private final List<Broker> started = new ArrayList<>();

    /**
     * A new broker on the implementation's store, configured with {@code settings} (HOCON under
     * {@code event-streamer}); brokers made by one test share the store when {@link #sharesEvents}.
     */
    protected abstract Broker newBroker(Settings settings);

    /** Whether two brokers on the same store see each other's events (a cluster), or each its own. */
    protected abstract boolean sharesEvents();

    /** Settings for this broker with the given overrides. */
    protected Settings settings(String... overrides) {
        return Settings.from(ConfigFactory.parseString("event-streamer {" + String.join("\n", overrides) + "}"));
    }

    @AfterEach
    void stopBrokers() {
        started.forEach(Broker::stop);
    }

    /** A category log on a started, ready broker, with its reader. */
    protected final Opened open(String... overrides) throws InterruptedException {
        return open(new Recorder(), overrides);
    }

    private Opened open(Recorder reader, String... overrides) throws InterruptedException {
        Settings settings = settings(overrides);
        Broker broker = newBroker(settings);
        started.add(broker);
        CategoryLog log = broker.open("alpha", settings.category("alpha"), reader);
        broker.start();
        assertThat(broker.awaitFirstAttempt(WAIT)).as("ready after the first attempt").isTrue();
        assertThat(broker.ready()).isTrue();
        assertThat(broker.waitingFor()).isNull();
        return new Opened(broker, log, reader);
    }

    protected record Opened(Broker broker, CategoryLog log, Recorder reader) {
        String append(int n) {
            return log.append("happened", n % 2 == 0 ? "key-" + n : null, body(n));
        }

        /** Waits until the reader has {@code count} entries, and returns them. */
        List<LogEntry> delivered(int count) {
            await().atMost(WAIT).until(() -> reader.entries().size() >= count);
            return reader.entries();
        }
    }

    /** A reader that records what it is given. */
    protected static class Recorder implements LogReader {
        private final List<LogEntry> entries = new ArrayList<>();
        private final List<String> starts = new ArrayList<>();
        private final List<Long> trims = new ArrayList<>();

        @Override
        public synchronized void startAfter(String id) {
            starts.add(id);
        }

        @Override
        public void deliver(LogEntry entry) {
            synchronized (this) {
                entries.add(entry);
            }
        }

        @Override
        public synchronized void trimmedBeforeRead(Long missed) {
            trims.add(missed);
        }

        synchronized List<LogEntry> entries() {
            return new ArrayList<>(entries);
        }

        synchronized List<Long> trims() {
            return new ArrayList<>(trims);
        }

        synchronized List<String> starts() {
            return new ArrayList<>(starts);
        }

        /** The id of the last entry delivered, or where the log said reading starts, or null. */
        synchronized String position() {
            return entries.isEmpty() ? (starts.isEmpty() ? null : starts.get(starts.size() - 1))
                    : entries.get(entries.size() - 1).id();
        }
    }

    static byte[] body(int n) {
        return ("{\"type\":\"event\",\"event\":\"happened\",\"category\":\"alpha\",\"data\":{\"n\":" + n + "}").getBytes(UTF_8);
    }

    private static int n(LogEntry entry) {
        String body = new String(entry.body(), UTF_8);
        return Integer.parseInt(body.substring(body.lastIndexOf(':') + 1, body.length() - 1));
    }

    @Test
    @DisplayName("append returns increasing ids, and the reader gets each entry once, in id order, as appended")
    void appendAndDeliver() throws Exception {
        Opened alpha = open();
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 50; n++) {
            ids.add(alpha.append(n));
        }
        List<LogEntry> entries = alpha.delivered(50);
        assertThat(entries).extracting(LogEntry::id).containsExactlyElementsOf(ids);
        for (int i = 1; i < ids.size(); i++) {
            assertThat(StreamIds.isValid(ids.get(i))).as("a valid id").isTrue();
            assertThat(StreamIds.compare(ids.get(i), ids.get(i - 1))).as("ids increase").isPositive();
        }
        for (int n = 0; n < 50; n++) {
            LogEntry entry = entries.get(n);
            assertThat(entry.eventType()).isEqualTo("happened");
            assertThat(entry.coalesceKey()).isEqualTo(n % 2 == 0 ? "key-" + n : null);
            assertThat(entry.body()).isEqualTo(body(n));
        }
    }

    @Test
    @DisplayName("concurrent appends: every entry reaches the reader once, in id order")
    void concurrentAppends() throws Exception {
        Opened alpha = open();
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int first = t * 250;
                done.add(threads.submit(() -> {
                    List<String> ids = new ArrayList<>();
                    for (int n = first; n < first + 250; n++) {
                        ids.add(alpha.append(n));
                    }
                    return ids;
                }));
            }
            List<String> appended = new ArrayList<>();
            for (Future<List<String>> ids : done) {
                appended.addAll(ids.get());
            }
            List<LogEntry> entries = alpha.delivered(1000);
            assertThat(entries).hasSize(1000);
            assertThat(entries).extracting(LogEntry::id).containsExactlyInAnyOrderElementsOf(appended);
            for (int i = 1; i < entries.size(); i++) {
                assertThat(StreamIds.compare(entries.get(i).id(), entries.get(i - 1).id())).as("in id order").isPositive();
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    @DisplayName("replay gives exactly the entries after an id up to the last delivered, as they were appended")
    void replayBetweenIds() throws Exception {
        Opened alpha = open();
        for (int n = 0; n < 20; n++) {
            alpha.append(n);
        }
        List<LogEntry> entries = alpha.delivered(20);
        String upTo = alpha.reader().position();

        Replay replay = alpha.log().replay(entries.get(4).id(), upTo);
        assertThat(replay.replayed()).as("%s", replay).isTrue();
        assertThat(replay.entries()).extracting(LogEntry::id)
                .containsExactlyElementsOf(entries.subList(5, 20).stream().map(LogEntry::id).toList());
        assertThat(replay.entries()).extracting(BrokerContract::n).containsExactlyElementsOf(
                java.util.stream.IntStream.range(5, 20).boxed().toList());

        Replay partial = alpha.log().replay(entries.get(4).id(), entries.get(9).id());
        assertThat(partial.entries()).as("up to an id, not beyond").extracting(BrokerContract::n)
                .containsExactly(5, 6, 7, 8, 9);
        assertThat(alpha.log().replay(upTo, upTo).entries()).as("after the last delivered: nothing").isEmpty();
        assertThat(alpha.log().replay(upTo, upTo).replayed()).isTrue();
    }

    @Test
    @DisplayName("ids a client may send that name nothing: malformed, or ahead of everything delivered, are unknown-id")
    void unknownIds() throws Exception {
        Opened alpha = open();
        alpha.append(0);
        List<LogEntry> entries = alpha.delivered(1);
        String last = entries.get(0).id();
        for (String bad : new String[] {"", "abc", "1", "-1-2", "1-", "x-1", "1-2-3", "9".repeat(60) + "-1"}) {
            Replay replay = alpha.log().replay(bad, last);
            assertThat(replay.failure()).as("'%s'", bad).isEqualTo(Replay.Failure.UNKNOWN_ID);
            assertThat(replay.entries()).isEmpty();
        }
        String ahead = StreamIds.first(last) + "-" + (StreamIds.second(last) + 5);
        assertThat(alpha.log().replay(ahead, last).failure()).as("ahead of the last delivered")
                .isEqualTo(Replay.Failure.UNKNOWN_ID);
    }

    @Test
    @DisplayName("when the history no longer holds everything after an id, replay says history-expired (with an exact count, if any)")
    void historyExpired() throws Exception {
        Opened alpha = open("history.size = 10");
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < 500; n++) {
            ids.add(alpha.append(n));
        }
        String first = ids.get(0);
        String last = ids.get(499);
        // A reader that falls behind the trimming may never see some entries: it is told instead
        // (trimmedBeforeRead). Either way it reaches the last one.
        await().atMost(WAIT).until(() -> last.equals(alpha.reader().position()));
        String upTo = alpha.reader().position();
        // Nothing left unread silently: every entry was delivered or counted in a trim notice.
        List<Long> trims = alpha.reader().trims();
        assertThat(trims).as("trim notices with a count").doesNotContainNull();
        assertThat(alpha.reader().entries().size() + trims.stream().mapToLong(Long::longValue).sum())
                .as("delivered + reported unread (trims %s)", trims).isEqualTo(500);
        Replay replay = alpha.log().replay(first, upTo);
        assertThat(replay.failure()).isEqualTo(Replay.Failure.HISTORY_EXPIRED);
        assertThat(replay.entries()).isEmpty();
        if (replay.missed() != null) {
            assertThat(replay.missed()).as("missed after the id").isEqualTo(499);
        }
        // The newest entries are still there: a recent id replays.
        Replay recent = alpha.log().replay(ids.get(495), upTo);
        assertThat(recent.entries()).extracting(BrokerContract::n).containsExactly(496, 497, 498, 499);
    }

    @Test
    @DisplayName("a reader slower than the trimming: whatever it could not read is reported, with its count")
    void slowReader() throws Exception {
        Recorder slow = new Recorder() {
            @Override
            public void deliver(LogEntry entry) {
                super.deliver(entry);
                try {
                    Thread.sleep(1); // a reader that can't keep up (a busy node)
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Opened alpha = open(slow, "history.size = 10");
        String last = null;
        for (int n = 0; n < 1000; n++) {
            last = alpha.append(n);
        }
        String end = last;
        await().atMost(Duration.ofSeconds(30)).until(() -> end.equals(alpha.reader().position()));
        List<Long> trims = alpha.reader().trims();
        long reported = trims.stream().mapToLong(Long::longValue).sum();
        System.out.printf("%s, slow reader: %d delivered, %d reported unread in %d notices%n", getClass().getSimpleName(),
                alpha.reader().entries().size(), reported, trims.size());
        assertThat(trims).doesNotContainNull();
        assertThat(alpha.reader().entries().size() + reported).as("delivered + reported unread").isEqualTo(1000);
        if (sharesEvents()) {
            assertThat(reported).as("the stream was trimmed ahead of the reader (else this test proves nothing)")
                    .isPositive();
        }
        List<LogEntry> entries = alpha.reader().entries();
        for (int i = 1; i < entries.size(); i++) {
            assertThat(StreamIds.compare(entries.get(i).id(), entries.get(i - 1).id())).isPositive();
        }
    }

    @Test
    @DisplayName("the cluster view names the broker and this node")
    void clusterView() throws Exception {
        Opened alpha = open();
        alpha.broker().announce("node-a:8080");
        await().atMost(WAIT).untilAsserted(() -> {
            ObjectNode view = alpha.broker().clusterView();
            assertThat(view.path("broker").asText()).isEqualTo(alpha.broker().type());
            assertThat(view.path("available").asBoolean()).isTrue();
            assertThat(view.path("nodes").findValuesAsText("nodeId")).contains("node-a:8080");
        });
    }

    @Test
    @DisplayName("two brokers on one store: a cluster delivers each other's entries and replays them; otherwise each keeps its own")
    void secondBrokerOnTheSameStore() throws Exception {
        Opened a = open();
        a.append(0);
        a.delivered(1);
        Opened b = open();
        a.append(1);
        String fromA = a.delivered(2).get(1).id();
        b.append(2);
        if (sharesEvents()) {
            // b started after the newest entry, so it delivers what came after.
            assertThat(b.reader().starts()).as("b starts after the newest entry").isNotEmpty();
            List<LogEntry> atB = b.delivered(2);
            assertThat(atB).extracting(BrokerContract::n).containsExactly(1, 2);
            assertThat(a.delivered(3)).extracting(BrokerContract::n).containsExactly(0, 1, 2);
            Replay replay = b.log().replay(a.reader().entries().get(0).id(), b.reader().position());
            assertThat(replay.entries()).as("b replays a's entries").extracting(BrokerContract::n).containsExactly(1, 2);
        } else {
            assertThat(b.delivered(1)).extracting(BrokerContract::n).containsExactly(2);
            assertThat(a.reader().entries()).extracting(BrokerContract::n).containsExactly(0, 1);
            // An id of the other broker is of another life: a resume can't be served from it.
            Replay replay = b.log().replay(fromA, b.reader().position());
            assertThat(replay.replayed()).as("%s", replay).isFalse();
            assertThat(replay.failure()).isIn(Replay.Failure.EPOCH_CHANGED, Replay.Failure.UNKNOWN_ID);
        }
    }
}
