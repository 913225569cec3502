package io.eventstreamer.core.internal.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstreamer.core.internal.config.OverflowPolicy;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link History}'s bounds: count, bytes and age, with contiguous sequences for resume. */
class HistoryTest {
    private static final long HOUR = 3_600_000L;

    private final CategoryChannel.Counters counters = new CategoryChannel.Counters();

    private EncodedEvent event(long sequence, int bytes, long publishedAtMillis) {
        return new EncodedEvent("alpha", "happened", sequence, "1-" + sequence, "1-" + (sequence - 1),
                new byte[bytes], OverflowPolicy.DROP_OLDEST, null, publishedAtMillis, counters);
    }

    private static List<Long> sequences(List<EncodedEvent> events) {
        return events.stream().map(EncodedEvent::sequence).collect(Collectors.toList());
    }

    @Test
    @DisplayName("the oldest events leave when the bytes would exceed the bound; the rest stay contiguous")
    void boundedInBytes() {
        History history = new History(1000, 1000, HOUR);
        for (long s = 1; s <= 10; s++) {
            history.append(event(s, 300, 0));
        }
        assertThat(history.size()).isEqualTo(3);
        assertThat(history.bytes()).isEqualTo(900);
        assertThat(history.oldestSequence()).isEqualTo(8);
        assertThat(sequences(history.after(7))).containsExactly(8L, 9L, 10L);
        assertThat(sequences(history.after(9))).containsExactly(10L);
        assertThat(history.after(10)).isEmpty();

        history.append(event(11, 1000, 0)); // exactly the bound: it stays, alone
        assertThat(sequences(history.after(0))).containsExactly(11L);
        assertThat(history.bytes()).isEqualTo(1000);
    }

    @Test
    @DisplayName("an event larger than the bound leaves at once, with everything before it")
    void eventLargerThanTheBound() {
        History history = new History(1000, 1000, HOUR);
        history.append(event(1, 10, 0));
        history.append(event(2, 1001, 0));
        assertThat(history.size()).isZero();
        assertThat(history.bytes()).isZero();
        assertThat(history.oldestSequence()).isEqualTo(-1);

        history.append(event(3, 10, 0));
        assertThat(history.oldestSequence()).isEqualTo(3);
        assertThat(sequences(history.after(2))).containsExactly(3L);
    }

    @Test
    @DisplayName("the count bound and the age bound still apply, and keep the byte total right")
    void countAndAge() {
        History history = new History(3, 1_000_000, 1000);
        for (long s = 1; s <= 5; s++) {
            history.append(event(s, 100, s * 100));
        }
        assertThat(sequences(history.after(0))).containsExactly(3L, 4L, 5L);
        assertThat(history.bytes()).isEqualTo(300);

        history.expire(1350); // event 3 (at 300) is older than 1000 ms at 1350; 4 and 5 are not
        assertThat(sequences(history.after(0))).containsExactly(4L, 5L);
        assertThat(history.bytes()).isEqualTo(200);
        history.expire(10_000);
        assertThat(history.size()).isZero();
        assertThat(history.bytes()).isZero();
    }

    @Test
    @DisplayName("with size 0 nothing is kept")
    void disabled() {
        History history = new History(0, 1000, HOUR);
        history.append(event(1, 10, 0));
        assertThat(history.size()).isZero();
        assertThat(history.oldestSequence()).isEqualTo(-1);
    }

    @Test
    @DisplayName("ids before the oldest held, or far beyond the newest, give no out-of-range slice")
    void afterOutOfRange() {
        History history = new History(10, 1000, HOUR);
        for (long s = 5; s <= 7; s++) {
            history.append(event(s, 10, 0));
        }
        assertThat(sequences(history.after(1))).containsExactly(5L, 6L, 7L);
        assertThat(history.after(Long.MAX_VALUE / 2)).isEmpty();
    }
}
