package io.eventstreamer.core.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** {@link History}'s bounds: count, bytes and age, with contiguous sequences for resume. */
class HistoryTest {
    private static final long HOUR = 3_600_000L;

    /** Whose cost in history is {@code cost} bytes. */
    private static Entry event(long sequence, int cost, long publishedAtMillis) {
        String id = "1-" + sequence;
        return new Entry(new LogEntry(id, "happened", null, new byte[cost - id.length() - 24], publishedAtMillis),
                sequence);
    }

    private record Entry(LogEntry entry, long sequence) {
    }

    private static void append(History history, Entry event) {
        history.append(event.entry(), event.sequence());
    }

    private static List<Long> sequences(List<LogEntry> entries) {
        return entries.stream().map(e -> Long.parseLong(e.id().substring(2))).collect(Collectors.toList());
    }

    @Test
    @DisplayName("the oldest events leave when the bytes would exceed the bound; the rest stay contiguous")
    void boundedInBytes() {
        History history = new History(1000, 1000, HOUR);
        for (long s = 1; s <= 10; s++) {
            append(history, event(s, 300, 0));
        }
        assertThat(history.size()).isEqualTo(3);
        assertThat(history.bytes()).isEqualTo(900);
        assertThat(history.oldestSequence()).isEqualTo(8);
        assertThat(sequences(history.between(7, Long.MAX_VALUE / 2))).containsExactly(8L, 9L, 10L);
        assertThat(sequences(history.between(9, Long.MAX_VALUE / 2))).containsExactly(10L);
        assertThat(history.between(10, Long.MAX_VALUE / 2)).isEmpty();

        append(history, event(11, 1000, 0)); // exactly the bound: it stays, alone
        assertThat(sequences(history.between(0, Long.MAX_VALUE / 2))).containsExactly(11L);
        assertThat(history.bytes()).isEqualTo(1000);
    }

    @Test
    @DisplayName("an event larger than the bound leaves at once, with everything before it")
    void eventLargerThanTheBound() {
        History history = new History(1000, 1000, HOUR);
        append(history, event(1, 50, 0));
        append(history, event(2, 1001, 0));
        assertThat(history.size()).isZero();
        assertThat(history.bytes()).isZero();
        assertThat(history.oldestSequence()).isEqualTo(-1);

        append(history, event(3, 50, 0));
        assertThat(history.oldestSequence()).isEqualTo(3);
        assertThat(sequences(history.between(2, Long.MAX_VALUE / 2))).containsExactly(3L);
    }

    @Test
    @DisplayName("the count bound and the age bound still apply, and keep the byte total right")
    void countAndAge() {
        History history = new History(3, 1_000_000, 1000);
        for (long s = 1; s <= 5; s++) {
            append(history, event(s, 100, s * 100));
        }
        assertThat(sequences(history.between(0, Long.MAX_VALUE / 2))).containsExactly(3L, 4L, 5L);
        assertThat(history.bytes()).isEqualTo(300);

        history.expire(1350); // event 3 (at 300) is older than 1000 ms at 1350; 4 and 5 are not
        assertThat(sequences(history.between(0, Long.MAX_VALUE / 2))).containsExactly(4L, 5L);
        assertThat(history.bytes()).isEqualTo(200);
        history.expire(10_000);
        assertThat(history.size()).isZero();
        assertThat(history.bytes()).isZero();
    }

    @Test
    @DisplayName("with size 0 nothing is kept")
    void disabled() {
        History history = new History(0, 1000, HOUR);
        append(history, event(1, 50, 0));
        assertThat(history.size()).isZero();
        assertThat(history.oldestSequence()).isEqualTo(-1);
    }

    @Test
    @DisplayName("ids before the oldest held, or far beyond the newest, give no out-of-range slice")
    void afterOutOfRange() {
        History history = new History(10, 1000, HOUR);
        for (long s = 5; s <= 7; s++) {
            append(history, event(s, 50, 0));
        }
        assertThat(sequences(history.between(1, Long.MAX_VALUE / 2))).containsExactly(5L, 6L, 7L);
        assertThat(history.between(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2)).isEmpty();
        assertThat(sequences(history.between(5, 6))).as("up to an entry").containsExactly(6L);
    }
}
