package io.eventstreamer.benchmarks.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;

/**
 * End-to-end load generator for an event-streamer server on this machine: opens WebSocket or
 * Server-Sent Events subscribers ({@code --transport}), publishes stamped events through
 * {@code POST /api/events} and reports deliveries, latency percentiles, losses and the server's
 * memory, one JSON line per result.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.eventstreamer.benchmarks.load.LoadGenerator \
 *     --scenario sweep --connections 1000 --rate 100 --warmup 60s --target http://127.0.0.1:18080
 * }</pre>
 *
 * <p>Scenarios: {@code idle} holds the connections; {@code fanout} publishes at one rate;
 * {@code sweep} doubles the rate until p99, losses or the publisher cross a bound, then bisects;
 * {@code churn} connects and disconnects extra clients while publishing to stable ones.
 */
public final class LoadGenerator {
    private static final Pattern CONNECTED = Pattern.compile("\"connectedClients\"\\s*:\\s*(\\d+)");

    private final Options options;
    private final Consumer<ResultLine> out;
    private final ServerProbe probe;
    private final ServerProbe self = new ServerProbe(ProcessHandle.current().pid());

    private LoadGenerator(Options options, Consumer<ResultLine> out) {
        this.options = options;
        this.out = out;
        this.probe = new ServerProbe(options.serverPid);
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        List<ResultLine> results = run(options, r -> System.out.println(r.toJson()));
        System.exit(results.isEmpty() ? 1 : 0);
    }

    /** Runs a scenario; each result goes to {@code out} as soon as it is known, and is returned. */
    static List<ResultLine> run(Options options, Consumer<ResultLine> out) throws Exception {
        List<ResultLine> all = new ArrayList<>();
        LoadGenerator generator = new LoadGenerator(options, r -> {
            all.add(r);
            out.accept(r);
        });
        switch (options.scenario) {
            case IDLE:
                generator.idle();
                break;
            case FANOUT:
                generator.fanout();
                break;
            case SWEEP:
                generator.sweep();
                break;
            case CHURN:
                generator.churn();
                break;
            default:
                throw new IllegalStateException("unknown scenario " + options.scenario);
        }
        return all;
    }

    private void idle() throws Exception {
        // The heap first: attaching jcmd starts a thread in the server, part of the idle process.
        long heap0 = probe.heapUsedAfterGc();
        long rss0 = probe.settledRssBytes(30);
        try (LoadClient client = new LoadClient(options)) {
            long t0 = System.nanoTime();
            // Half first: the second half's cost is the marginal one, without what the first
            // connections cost once (threads, compiled code, classes).
            int firstHalf = options.connections / 2;
            client.connectAll(Subscriber.Kind.COUNTED, firstHalf);
            double connectSeconds = (System.nanoTime() - t0) / 1e9;
            Thread.sleep(2_000);
            int heldAtHalf = client.liveCount(Subscriber.Kind.COUNTED);
            long rssHalf = probe.rssBytes();
            t0 = System.nanoTime();
            client.connectAll(Subscriber.Kind.COUNTED, options.connections - firstHalf);
            connectSeconds += (System.nanoTime() - t0) / 1e9;
            int held = client.subscribedCounted.get();
            long cpu0 = probe.cpuNanos();
            long clientCpu0 = self.cpuNanos();
            long machine0 = ServerProbe.machineBusyNanos();
            long h0 = System.nanoTime();
            Thread.sleep(options.duration.toMillis());
            double holdSeconds = (System.nanoTime() - h0) / 1e9;
            long cpu1 = probe.cpuNanos();
            long clientCpu1 = self.cpuNanos();
            long machine1 = ServerProbe.machineBusyNanos();
            int stillHeld = client.liveCount(Subscriber.Kind.COUNTED);
            long rss1 = probe.rssBytes();
            long heap1 = probe.heapUsedAfterGc();
            ResultLine r = result("idle")
                    .put("connectionsRequested", options.connections)
                    .put("connectionsHeld", stillHeld)
                    .put("subscribed", held)
                    .put("failures", client.failed.get())
                    .put("closedByServer", client.closedByServer.get())
                    .put("connectSeconds", ResultLine.round(connectSeconds, 2))
                    .put("holdSeconds", ResultLine.round(holdSeconds, 1))
                    .put("serverCpuPercentDuringHold", percent(cpu0, cpu1, holdSeconds))
                    .put("otherProcessesCpuPercent",
                            others(machine0, machine1, cpu0, cpu1, clientCpu0, clientCpu1, holdSeconds))
                    .put("serverRssIdleBytes", rss0)
                    .put("serverRssBytes", rss1)
                    .put("rssPerConnectionBytes", perConnection(rss0, rss1, stillHeld))
                    .put("serverRssAtHalfBytes", rssHalf)
                    .put("rssPerConnectionMarginalBytes", perConnection(rssHalf, rss1, stillHeld - heldAtHalf))
                    .put("serverHeapAfterGcIdleBytes", heap0)
                    .put("serverHeapAfterGcBytes", heap1)
                    .put("heapPerConnectionBytes", perConnection(heap0, heap1, stillHeld));
            problem(r, client, null);
            out.accept(r);
        }
    }

    private void fanout() throws Exception {
        try (Publisher publisher = new Publisher(options); LoadClient client = connectSubscribers()) {
            warmUp(publisher, client);
            out.accept(measure("fanout", client, publisher, options.rate, 0));
        }
    }

    private void sweep() throws Exception {
        try (Publisher publisher = new Publisher(options); LoadClient client = connectSubscribers()) {
            warmUp(publisher, client);
            double passed = 0;
            double failedRate = 0;
            int step = 0;
            for (double rate = options.rate; rate <= options.maxRate; rate *= 2) {
                ResultLine r = measure("sweep", client, publisher, rate, ++step);
                out.accept(r);
                if (!Boolean.TRUE.equals(r.get("pass"))) {
                    failedRate = rate;
                    break;
                }
                passed = rate;
            }
            for (int i = 0; i < options.refine && failedRate > 0 && passed > 0; i++) {
                double rate = Math.round((passed + failedRate) / 2);
                ResultLine r = measure("sweep", client, publisher, rate, ++step);
                out.accept(r);
                if (Boolean.TRUE.equals(r.get("pass"))) {
                    passed = rate;
                } else {
                    failedRate = rate;
                }
            }
            int receivers = client.subscribedCounted.get();
            out.accept(result("sweep")
                    .put("summary", true)
                    .put("connections", receivers)
                    .put("ceilingEventsPerSec", passed)
                    .put("ceilingDeliveriesPerSec", Math.round(passed * receivers))
                    .put("firstFailingEventsPerSec", failedRate)
                    .put("p99BoundMs", options.p99BoundMillis)
                    .put("slowConsumers", options.slowConsumers));
        }
    }

    private void churn() throws Exception {
        try (Publisher publisher = new Publisher(options); LoadClient client = connectSubscribers()) {
            Churner churner = new Churner(client);
            Thread thread = new Thread(churner, "load-churn");
            thread.setDaemon(true);
            thread.start();
            warmUp(publisher, client);
            ResultLine r = measure("churn", client, publisher, options.rate, 0);
            churner.stop();
            thread.join(10_000);
            int stable = client.liveCount(Subscriber.Kind.COUNTED) + client.liveCount(Subscriber.Kind.SLOW);
            int after = waitForConnectedClients(stable, Duration.ofSeconds(15));
            r.put("churnRatePerSec", options.churnRate)
                    .put("churnConnectsStarted", churner.started)
                    .put("churnSubscribed", client.subscribedOther.get())
                    .put("churnDisconnects", churner.closed)
                    .put("stableConnections", stable)
                    .put("serverConnectedClientsAfter", after)
                    .put("leakedSessions", after < 0 ? -1 : after - stable);
            out.accept(r);
        }
    }

    /** Connects the counted subscribers (and the slow consumers) and checks that they are all in. */
    private LoadClient connectSubscribers() throws InterruptedException {
        LoadClient client = new LoadClient(options);
        client.connectAll(Subscriber.Kind.COUNTED, options.connections);
        if (options.slowConsumers > 0) {
            client.connectAll(Subscriber.Kind.SLOW, options.slowConsumers);
        }
        if (client.subscribedCounted.get() < options.connections) {
            System.err.printf("warning: only %d of %d connections subscribed (%d failed: %s)%n",
                    client.subscribedCounted.get(), options.connections, client.failed.get(), client.firstProblem.get());
        }
        return client;
    }

    /**
     * Publishes for {@code --warmup}, counting what arrives into measurements that are thrown away,
     * a new one every second. So the load client's recording path (and its skipping of deliveries
     * from before a measurement) is compiled before the first real measurement; without it, the
     * client's JIT recompiled its read loop during the first seconds measured, and those reads lagged.
     */
    private void warmUp(Publisher publisher, LoadClient client) throws InterruptedException {
        if (!options.warmup.isZero()) {
            long chunks = Math.max(1, options.warmup.toSeconds());
            Duration chunk = options.warmup.dividedBy(chunks);
            for (long i = 0; i < chunks; i++) {
                client.startMeasurement(publisher.nextSeq());
                publisher.run(options.warmupRate, chunk);
            }
            Thread.sleep(1_000);
        }
    }

    /** Publishes at {@code rate} (after {@code --settle} in a sweep) and measures one window. */
    private ResultLine measure(String scenario, LoadClient client, Publisher publisher, double rate, int step)
            throws InterruptedException {
        if (step > 0 && !options.settle.isZero()) {
            publisher.run(rate, options.settle);
        }
        int receivers = client.subscribedCounted.get() - client.closedCountedByServer.get();
        long dropped0 = client.droppedCounted.sum();
        long cpu0 = probe.cpuNanos();
        long clientCpu0 = self.cpuNanos();
        long machine0 = ServerProbe.machineBusyNanos();
        Measurement m = client.startMeasurement(publisher.nextSeq());
        double seconds = publisher.run(rate, options.duration);
        long cpu1 = probe.cpuNanos();
        long clientCpu1 = self.cpuNanos();
        long machine1 = ServerProbe.machineBusyNanos();
        long end = publisher.nextSeq();
        long published = end - m.startSeq() - publisher.failedBetween(m.startSeq(), end);
        long expected = published * receivers;
        waitForDeliveries(m, expected);
        long received = m.received();
        Histogram latency = m.latencies();
        double p99 = latency.getValueAtPercentile(99) / 1000.0;
        ResultLine r = result(scenario);
        if (step > 0) {
            r.put("step", step);
        }
        r.put("connections", receivers)
                .put("slowConsumers", options.slowConsumers)
                .put("targetEventsPerSec", rate)
                .put("eventsPerPost", options.batchFor(rate))
                .put("publishedEvents", published)
                .put("publishedEventsPerSec", Math.round(published / seconds))
                .put("expectedDeliveries", expected)
                .put("receivedDeliveries", received)
                .put("losses", expected - received)
                .put("droppedReportedByServer", client.droppedCounted.sum() - dropped0)
                .put("deliveriesPerSec", Math.round(received / seconds))
                .put("bytesPerSec", Math.round(m.bytes() / seconds))
                .put("seconds", ResultLine.round(seconds, 2))
                .put("latencyMs", ResultLine.latency(latency))
                .put("serverCpuPercent", percent(cpu0, cpu1, seconds))
                .put("loadGeneratorCpuPercent", percent(clientCpu0, clientCpu1, seconds))
                .put("otherProcessesCpuPercent", others(machine0, machine1, cpu0, cpu1, clientCpu0, clientCpu1, seconds))
                .put("serverRssBytes", probe.rssBytes());
        if (scenario.equals("sweep")) {
            boolean publisherKeptUp = published >= 0.95 * rate * options.duration.toMillis() / 1000.0
                    && seconds <= 1.05 * options.duration.toMillis() / 1000.0 + 0.1;
            r.put("pass", expected == received && p99 <= options.p99BoundMillis && publisherKeptUp);
        }
        problem(r, client, publisher);
        if (step > 0) {
            Thread.sleep(1_000); // let queues empty before the next step
        }
        return r;
    }

    /** Waits until every expected delivery arrived, nothing arrived for 5 s, or the drain timeout. */
    private void waitForDeliveries(Measurement m, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + options.drainTimeout.toNanos();
        long last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = m.received();
            if (now >= expected) {
                return;
            }
            if (now != last) {
                last = now;
                lastChange = System.nanoTime();
            } else if (System.nanoTime() - lastChange > 5_000_000_000L) {
                return;
            }
            Thread.sleep(10);
        }
    }

    /** Polls the status endpoint until it reports {@code expected} clients; returns the last count, or -1. */
    private int waitForConnectedClients(int expected, Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(options.target.resolve("/api/websocket/status"))
                .timeout(Duration.ofSeconds(10)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        do {
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                Matcher matcher = CONNECTED.matcher(body);
                if (matcher.find()) {
                    last = Integer.parseInt(matcher.group(1));
                    if (last == expected) {
                        return last;
                    }
                }
            } catch (IOException e) {
                last = -1;
            }
            Thread.sleep(200);
        } while (System.nanoTime() < deadline);
        return last;
    }

    /** A result line that says which scenario and transport it measured. */
    private ResultLine result(String scenario) {
        return new ResultLine(scenario).put("transport", options.transport.flag);
    }

    private static void problem(ResultLine r, LoadClient client, Publisher publisher) {
        String p = client.firstProblem.get();
        if (publisher != null && publisher.firstFailure() != null) {
            p = "publish failed: " + publisher.firstFailure();
        }
        if (p != null) {
            r.put("firstProblem", p.length() > 300 ? p.substring(0, 300) : p);
        }
    }

    private static double percent(long cpu0, long cpu1, double seconds) {
        if (cpu0 < 0 || cpu1 < 0) {
            return -1;
        }
        return ResultLine.round((cpu1 - cpu0) / 1e9 / seconds * 100, 1);
    }

    /** CPU used by processes other than the server and this one, in percent of one core. */
    private static double others(long machine0, long machine1, long server0, long server1, long self0, long self1,
            double seconds) {
        if (machine0 < 0 || machine1 < 0 || server0 < 0 || server1 < 0 || self0 < 0 || self1 < 0) {
            return -1;
        }
        long other = (machine1 - machine0) - (server1 - server0) - (self1 - self0);
        return ResultLine.round(Math.max(0, other) / 1e9 / seconds * 100, 1);
    }

    private static long perConnection(long before, long after, int connections) {
        if (before < 0 || after < 0 || connections <= 0) {
            return -1;
        }
        return Math.round((after - before) / (double) connections);
    }

    /** Opens {@code --churn-rate} connections per second and closes each after {@code --churn-lifetime}. */
    private final class Churner implements Runnable {
        private final LoadClient client;
        private final ArrayDeque<Subscriber> open = new ArrayDeque<>();
        private volatile boolean running = true;
        volatile long started;
        volatile long closed;

        Churner(LoadClient client) {
            this.client = client;
        }

        void stop() {
            running = false;
        }

        @Override
        public void run() {
            long tickNanos = 10_000_000L;
            double perTick = options.churnRate * tickNanos / 1e9;
            double owed = 0;
            long lifetime = options.churnLifetime.toNanos();
            long next = System.nanoTime();
            boolean clean = true;
            try {
                while (running) {
                    owed += perTick;
                    for (; owed >= 1; owed--) {
                        open.add(client.connect(Subscriber.Kind.CHURN));
                        started++;
                    }
                    long now = System.nanoTime();
                    while (!open.isEmpty() && now - open.peek().openedAtNanos() >= lifetime) {
                        client.close(open.poll(), clean);
                        clean = !clean; // half close cleanly, half drop the connection
                        closed++;
                    }
                    next += tickNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                while (!open.isEmpty()) {
                    client.close(open.poll(), true);
                    closed++;
                }
            }
        }
    }
}
