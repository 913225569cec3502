package io.eventstreamer.benchmarks.jmh;

import io.eventstreamer.core.internal.bench.EngineFixture;
import io.eventstreamer.spi.EventType;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Encoding one event, once for all recipients ({@code prepare}: Jackson tree and bytes), and the
 * same followed by numbering it and splicing one recipient's clientId into its frame.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class EncodeBenchmark {
    private EngineFixture.Channel channel;
    private EventType type;
    private Map<String, Object> payload;
    private EngineFixture.CompletingSink sink;

    @Setup
    public void setUp() {
        channel = Fixtures.channel();
        type = Fixtures.eventType();
        payload = Fixtures.payload();
        sink = new EngineFixture.CompletingSink();
        EngineFixture.Session one = Fixtures.session(1, sink, Fixtures.DIRECT);
        one.setClientId("dashboard-7");
        channel.subscribe(one);
    }

    /** Validation excluded: the payload as JSON bytes, encoded once per event. */
    @Benchmark
    public Object encode() {
        return channel.encode(type, payload);
    }

    /** Validate, encode, number, record in history, enqueue, splice the clientId, hand the frame to the sink. */
    @Benchmark
    public Object emitToOneSubscriber() {
        return channel.emit(Fixtures.EVENT_TYPE, payload);
    }
}
