package io.eventstreamer.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublishRateLimiterTest {
    @Test
    @DisplayName("a request takes as many tokens as it has events, all or none; the wait is in whole seconds")
    void takesEventsAllOrNone() {
        PublishRateLimiter limiter = new PublishRateLimiter(2, 10);
        assertThat(limiter.tryAcquire("a", 8)).isZero();
        assertThat(limiter.tryAcquire("a", 5)).as("3 missing at 2/s").isEqualTo(2);
        assertThat(limiter.tryAcquire("a", 2)).as("the refused request took nothing").isZero();
        assertThat(limiter.tryAcquire("b", 10)).as("another publisher has its own bucket").isZero();
        assertThat(limiter.tryAcquire("c", 11)).as("larger than the burst: never, wait as for a burst").isPositive();
        assertThat(limiter.retryAfterForOne("a")).as("empty bucket").isPositive();
        assertThat(limiter.retryAfterForOne("b")).as("empty bucket").isPositive();
        assertThat(limiter.retryAfterForOne("c")).as("looking takes nothing").isZero();
        assertThat(limiter.retryAfterForOne("unknown")).isZero();
    }

    @Test
    @DisplayName("the buckets are bounded: full ones are dropped, and while all are in use a new publisher waits")
    void bucketsAreBounded() {
        PublishRateLimiter limiter = new PublishRateLimiter(1, 10);
        for (int i = 0; i < PublishRateLimiter.MAX_BUCKETS; i++) {
            assertThat(limiter.tryAcquire("busy-" + i, 5)).isZero();
        }
        assertThat(limiter.tryAcquire("newcomer", 1)).as("no room, and no bucket is full").isEqualTo(1);
        assertThat(limiter.size()).isEqualTo(PublishRateLimiter.MAX_BUCKETS);

        PublishRateLimiter idle = new PublishRateLimiter(1, 10);
        for (int i = 0; i < PublishRateLimiter.MAX_BUCKETS; i++) {
            assertThat(idle.tryAcquire("idle-" + i, 0)).isZero();
        }
        assertThat(idle.tryAcquire("newcomer", 1)).as("full buckets make room").isZero();
        assertThat(idle.size()).isLessThanOrEqualTo(PublishRateLimiter.MAX_BUCKETS);
    }
}
