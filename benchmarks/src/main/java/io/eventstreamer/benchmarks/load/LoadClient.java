package io.eventstreamer.benchmarks.load;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The subscribers: opens WebSocket or Server-Sent Events connections with a ramp (a bounded number
 * of handshakes in flight), subscribes them, and counts what they receive into the current
 * {@link Measurement}.
 */
final class LoadClient implements AutoCloseable {
    private final Options options;
    private final InetSocketAddress target;
    private final String hostHeader;
    private final List<ClientLoop> loops = new ArrayList<>();
    private final Semaphore handshakes;
    private final AtomicInteger started = new AtomicInteger();
    private final Set<Subscriber> live = ConcurrentHashMap.newKeySet();

    final AtomicInteger subscribedCounted = new AtomicInteger();
    final AtomicInteger subscribedOther = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final AtomicInteger closedByServer = new AtomicInteger();
    final AtomicInteger closedCountedByServer = new AtomicInteger();
    final LongAdder droppedCounted = new LongAdder();
    final LongAdder droppedOther = new LongAdder();
    final LongAdder serverErrors = new LongAdder();
    final AtomicReference<String> firstProblem = new AtomicReference<>();

    private volatile Measurement measurement = new Measurement(Long.MAX_VALUE);

    LoadClient(Options options) {
        this.options = options;
        this.target = new InetSocketAddress(options.target.getHost(), options.port());
        this.hostHeader = options.target.getHost() + ":" + options.port();
        this.handshakes = new Semaphore(options.handshakesInFlight);
        for (int i = 0; i < options.clientThreads; i++) {
            loops.add(new ClientLoop("load-client-" + i, options.signOfLife));
        }
    }

    Options options() {
        return options;
    }

    String hostHeader() {
        return hostHeader;
    }

    Measurement measurement() {
        return measurement;
    }

    /** Counts deliveries of events numbered {@code startSeq} and later from now on. */
    Measurement startMeasurement(long startSeq) {
        Measurement m = new Measurement(startSeq);
        measurement = m;
        return m;
    }

    byte[] subscribeMessage(int number) {
        String categories = options.categories.stream().map(c -> "\"" + c + "\"").collect(Collectors.joining(","));
        return ("{\"type\":\"subscribe\",\"categories\":[" + categories + "],\"clientId\":\"bench-" + number + "\"}")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts one connection; blocks while the ramp's handshakes are all in flight. */
    Subscriber connect(Subscriber.Kind kind) throws InterruptedException {
        if (!handshakes.tryAcquire(options.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("no handshake completed for " + options.connectTimeout);
        }
        int n = started.getAndIncrement();
        ClientLoop loop = loops.get(n % loops.size());
        InetAddress source = options.bindAddresses.get(n % options.bindAddresses.size());
        Subscriber c;
        if (options.transport == Options.Transport.SSE) {
            c = new SseConnection(this, loop, kind, n);
        } else {
            c = new WsConnection(this, loop, kind, n);
        }
        live.add(c);
        loop.execute(() -> c.start(source, target));
        return c;
    }

    /** Opens {@code n} connections of a kind and waits until each is subscribed or has failed. */
    void connectAll(Subscriber.Kind kind, int n) throws InterruptedException {
        AtomicInteger counter = kind == Subscriber.Kind.COUNTED ? subscribedCounted : subscribedOther;
        int goal = counter.get() + n;
        int failedBefore = failed.get();
        for (int i = 0; i < n; i++) {
            connect(kind);
        }
        long deadline = System.nanoTime() + options.connectTimeout.toNanos();
        while (counter.get() + (failed.get() - failedBefore) < goal && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Closes a connection from its loop thread. */
    void close(Subscriber c, boolean clean) {
        c.loop().execute(() -> c.close(clean));
    }

    int liveCount(Subscriber.Kind kind) {
        int n = 0;
        for (Subscriber c : live) {
            if (c.kind() == kind && c.isSubscribed()) {
                n++;
            }
        }
        return n;
    }

    void handshakeDone(Subscriber c) {
        handshakes.release();
    }

    void subscribed(Subscriber c) {
        if (c.kind() == Subscriber.Kind.COUNTED) {
            subscribedCounted.incrementAndGet();
        } else {
            subscribedOther.incrementAndGet();
        }
    }

    void droppedNotice(Subscriber.Kind kind, long dropped) {
        if (kind == Subscriber.Kind.COUNTED) {
            droppedCounted.add(dropped);
        } else {
            droppedOther.add(dropped);
        }
    }

    void serverError(String message) {
        serverErrors.increment();
        firstProblem.compareAndSet(null, "server error message: " + message);
    }

    void closed(Subscriber c, boolean wasOpen, boolean wasSubscribed, boolean byServer) {
        live.remove(c);
        if (!wasOpen) {
            handshakes.release();
        }
        if (byServer) {
            closedByServer.incrementAndGet();
            if (c.kind() == Subscriber.Kind.COUNTED) {
                closedCountedByServer.incrementAndGet();
            }
            firstProblem.compareAndSet(null, "a connection was closed by the server");
        }
    }

    void failed(Subscriber c, boolean wasOpen, String why) {
        live.remove(c);
        if (!wasOpen) {
            handshakes.release();
        }
        failed.incrementAndGet();
        firstProblem.compareAndSet(null, why);
    }

    @Override
    public void close() {
        for (Subscriber c : live) {
            close(c, false);
        }
        for (ClientLoop loop : loops) {
            loop.stop();
        }
    }
}
