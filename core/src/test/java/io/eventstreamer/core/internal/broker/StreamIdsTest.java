package io.eventstreamer.core.internal.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StreamIdsTest {

    @Test
    void validIdsAreTwoNumbersJoinedByADash() {
        assertThat(StreamIds.isValid("1764108651123-0")).isTrue();
        assertThat(StreamIds.isValid("0-0")).isTrue();
        for (String invalid : new String[] {null, "", "-", "1-", "-1", "a-1", "1-b", "1-2-3", "12"}) {
            assertThat(StreamIds.isValid(invalid)).as(String.valueOf(invalid)).isFalse();
        }
    }

    @Test
    void idsCompareByMillisecondsThenSequence() {
        assertThat(StreamIds.compare("2-0", "10-0")).isNegative();
        assertThat(StreamIds.compare("10-2", "10-10")).isNegative();
        assertThat(StreamIds.compare("10-10", "10-10")).isZero();
        assertThat(StreamIds.compare("11-0", "10-99")).isPositive();
    }

    @Test
    void nextIsTheSmallestGreaterId() {
        assertThat(StreamIds.next("1764108651123-41")).isEqualTo("1764108651123-42");
    }
}
