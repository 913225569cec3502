package io.eventstreamer.core.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublishesInFlightTest {
    private final PublishesInFlight inFlight = new PublishesInFlight();

    @Test
    @DisplayName("close refuses later requests at once and returns when the request in flight is done")
    void closeWaitsForTheRequestInFlight() throws Exception {
        assertThat(inFlight.enter()).isTrue();
        CompletableFuture<Boolean> closed = CompletableFuture.supplyAsync(() -> inFlight.close(Duration.ofSeconds(30)));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            boolean entered = inFlight.enter();
            if (entered) {
                inFlight.exit();
            }
            return !entered;
        });
        assertThat(closed).isNotDone();

        inFlight.exit();
        assertThat(closed.get(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    @DisplayName("close gives up after its timeout when a request doesn't finish")
    void closeTimesOut() {
        assertThat(inFlight.enter()).isTrue();
        assertThat(inFlight.close(Duration.ofMillis(50))).isFalse();
        assertThat(inFlight.enter()).isFalse();
    }
}
