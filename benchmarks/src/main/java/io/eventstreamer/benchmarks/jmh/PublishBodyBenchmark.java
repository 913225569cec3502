package io.eventstreamer.benchmarks.jmh;

import io.eventstreamer.benchmarks.load.EventBodies;
import io.eventstreamer.core.internal.bench.EngineFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * Reading the body of one {@code POST /api/events} of 100 events, as the load generator sends them
 * (the four standard categories in turn, 200-byte {@code data}): one operation is the whole batch.
 * {@code untypedMapper} is the reference: Jackson's data binding of the same body into maps.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class PublishBodyBenchmark {
    private byte[] body;

    @Setup
    public void setUp() {
        body = new EventBodies(EventBodies.STANDARD_CATEGORIES, 200)
                .body(0, 100, 1_764_000_000_000_000L, true).getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public Object publishBody() throws IOException {
        return EngineFixture.parsePublishBody(body);
    }

    @Benchmark
    public Object untypedMapper() throws IOException {
        return EngineFixture.readWithHostMapper(body);
    }
}
