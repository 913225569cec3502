package io.eventstreamer.benchmarks.jmh;

import io.eventstreamer.core.internal.bench.EngineFixture;
import java.util.Collections;
import java.util.LinkedHashMap;
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
 * Subscription bookkeeping: finding a category's channel by name (what every publish does) and
 * subscribing plus unsubscribing one client next to {@code subscribers} others (what every
 * connect and disconnect does: the subscriber array is copied on write).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SubscriptionBenchmark {
    @Param({"1000", "10000"})
    public int subscribers;

    private Map<String, EngineFixture.Channel> channels;
    private EngineFixture.Channel channel;
    private EngineFixture.Session extra;
    private String[] names;
    private int next;

    @Setup
    public void setUp() {
        channel = Fixtures.channel();
        Map<String, EngineFixture.Channel> all = new LinkedHashMap<>();
        names = new String[] {"error-recovery", "scheduler", "webhook", "dlq"};
        for (String name : names) {
            all.put(name, channel);
        }
        channels = Collections.unmodifiableMap(all);
        for (int i = 0; i < subscribers; i++) {
            channel.subscribe(Fixtures.session(i, new EngineFixture.CompletingSink(), Fixtures.DIRECT));
        }
        extra = Fixtures.session(-1, new EngineFixture.CompletingSink(), Fixtures.DIRECT);
    }

    @Benchmark
    public Object lookupChannel() {
        next = (next + 1) & 3;
        return channels.get(names[next]);
    }

    @Benchmark
    public boolean subscribeAndUnsubscribe() {
        channel.subscribe(extra);
        return channel.unsubscribe(extra);
    }
}
