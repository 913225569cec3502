package io.eventstreamer.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    @DisplayName("the ceiling doubles from min at each failure and stops at max")
    void ceilingDoublesUpToMax() {
        Backoff backoff = new Backoff(100, 10_000, new Random(1));

        List<Long> ceilings = new ArrayList<>();
        for (int attempt = 0; attempt < 10; attempt++) {
            ceilings.add(backoff.ceilingMillis(attempt));
        }

        assertThat(ceilings).containsExactly(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 10_000L, 10_000L, 10_000L);
    }

    @Test
    @DisplayName("huge attempt counts don't overflow: the ceiling stays at max")
    void noOverflow() {
        Backoff backoff = new Backoff(1, Long.MAX_VALUE / 2, new Random(1));

        assertThat(backoff.ceilingMillis(61)).isEqualTo(1L << 61);
        assertThat(backoff.ceilingMillis(62)).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(backoff.ceilingMillis(63)).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(backoff.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(Long.MAX_VALUE / 2);
        assertThat(new Backoff(250, 30_000, new Random(1)).ceilingMillis(1_000)).isEqualTo(30_000);
        assertThat(new Backoff(1, Long.MAX_VALUE, new Random(1)).delayMillis(100)).isNotNegative();
    }

    @Test
    @DisplayName("delays are uniform in [0, ceiling] (full jitter), drawn from the given Random")
    void fullJitterFromSeededRandom() {
        Backoff backoff = new Backoff(100, 10_000, new Random(42));
        Random expected = new Random(42);

        for (int attempt = 0; attempt < 12; attempt++) {
            long delay = backoff.delayMillis(attempt);
            assertThat(delay).isEqualTo(expected.nextLong(backoff.ceilingMillis(attempt) + 1));
            assertThat(delay).isBetween(0L, backoff.ceilingMillis(attempt));
        }
    }

    @Test
    @DisplayName("over many draws, the delays cover the whole range, both ends included")
    void coversTheRange() {
        Backoff backoff = new Backoff(10, 1000, new Random(7));
        long smallest = Long.MAX_VALUE;
        long largest = Long.MIN_VALUE;
        long sum = 0;
        int draws = 20_000;

        for (int i = 0; i < draws; i++) {
            long delay = backoff.delayMillis(2); // ceiling 40
            smallest = Math.min(smallest, delay);
            largest = Math.max(largest, delay);
            sum += delay;
        }

        assertThat(smallest).isZero();
        assertThat(largest).isEqualTo(40);
        assertThat((double) sum / draws).isBetween(18.0, 22.0);
    }

    @Test
    @DisplayName("the delay after a 1012 (server restarting) is in [0, min]")
    void afterRestart() {
        Backoff backoff = new Backoff(100, 10_000, new Random(3));

        for (int i = 0; i < 1000; i++) {
            assertThat(backoff.afterRestartMillis()).isBetween(0L, 100L);
        }
    }

    @Test
    void rejectsInvalidBounds() {
        assertThatThrownBy(() -> new Backoff(0, 100, new Random()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconnect delays must satisfy 0 < min <= max, but were min = 0 ms, max = 100 ms");
        assertThatThrownBy(() -> new Backoff(200, 100, new Random()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconnect delays must satisfy 0 < min <= max, but were min = 200 ms, max = 100 ms");
        assertThatThrownBy(() -> new Backoff(100, 200, new Random()).ceilingMillis(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("attempt was -1 but must be >= 0");
    }
}
