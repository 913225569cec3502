package io.eventstreamer.benchmarks.jmh;

import io.eventstreamer.core.internal.bench.EngineFixture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One client's queue: enqueue an already encoded event, drain it, splice the clientId into the
 * frame and hand it to the (fake) connection. The flusher is the calling thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class ClientQueueBenchmark {
    private static final int BURST = 64;

    private EngineFixture.Event event;
    private EngineFixture.Session immediate;
    private EngineFixture.Session held;
    private EngineFixture.HoldingSink holdingSink;

    @Setup
    public void setUp() {
        event = Fixtures.encodedEvent();
        immediate = Fixtures.session(1, new EngineFixture.CompletingSink(), Fixtures.DIRECT);
        holdingSink = new EngineFixture.HoldingSink();
        held = Fixtures.session(2, holdingSink, Fixtures.DIRECT);
    }

    /** The socket always has room: every event is drained on its own (one frame per drain pass). */
    @Benchmark
    public void enqueueAndDrainOne() {
        immediate.enqueue(event);
    }

    /**
     * A write is in progress while 64 events arrive; its completion drains them as one batch, as
     * under load. Per event.
     */
    @Benchmark
    @OperationsPerInvocation(BURST)
    public void enqueueBurstThenDrainBatch() {
        for (int i = 0; i < BURST; i++) {
            held.enqueue(event);
        }
        holdingSink.release(); // drains the 63 queued behind the first
        holdingSink.release(); // completes the batch's last frame
    }
}
