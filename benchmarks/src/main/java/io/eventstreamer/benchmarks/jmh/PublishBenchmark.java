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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The whole publish path without sockets: validate, encode once, number, enqueue to every
 * subscriber, drain each queue (the flusher is the calling thread) and splice each recipient's
 * clientId into its frame. Divide the score by {@code subscribers} for the cost per delivery.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PublishBenchmark {
    @Param({"1", "100", "10000"})
    public int subscribers;

    private EngineFixture.Channel channel;
    private EventType type;
    private Map<String, Object> payload;
    private Object prepared;

    @Setup
    public void setUp() {
        channel = Fixtures.channel();
        type = Fixtures.eventType();
        payload = Fixtures.payload();
        for (int i = 0; i < subscribers; i++) {
            channel.subscribe(Fixtures.session(i, new EngineFixture.CompletingSink(), Fixtures.DIRECT));
        }
        prepared = channel.encode(type, payload);
    }

    /** An event from its payload to every subscriber's (fake) connection. */
    @Benchmark
    public Object emit() {
        return channel.emit(Fixtures.EVENT_TYPE, payload);
    }

    /** The same from already encoded bytes (as a batch POST publishes after encoding it whole). */
    @Benchmark
    public Object publishPrepared() {
        return channel.publish(prepared);
    }
}
