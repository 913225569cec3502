package io.eventstreamer.core.internal.fanout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class FlusherThreadsTest {

    @Test
    void runsEveryTaskHandedOverByConcurrentProducersAlsoAfterSleeping() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (FlusherThreads flushers = new FlusherThreads(2, "test-flusher")) {
            for (int round = 0; round < 20; round++) {
                List<Thread> producers = new ArrayList<>();
                for (int p = 0; p < 4; p++) {
                    Thread producer = new Thread(() -> {
                        for (int i = 0; i < 2_500; i++) {
                            flushers.execute(ran::incrementAndGet);
                        }
                    });
                    producers.add(producer);
                    producer.start();
                }
                for (Thread producer : producers) {
                    producer.join();
                }
                int expected = (round + 1) * 10_000;
                // Each round lets the threads run out of work and park before the next one wakes them.
                await().atMost(Duration.ofSeconds(10)).until(() -> ran.get() == expected);
            }
        }
        assertThat(ran.get()).isEqualTo(200_000);
    }

    @Test
    void aFailingTaskDoesNotStopTheThreadAndCloseRefusesNewTasks() {
        AtomicInteger ran = new AtomicInteger();
        FlusherThreads flushers = new FlusherThreads(1, "test-flusher");
        flushers.execute(() -> {
            throw new IllegalStateException("on purpose");
        });
        flushers.execute(ran::incrementAndGet);
        await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1);
        flushers.close();
        assertThatThrownBy(() -> flushers.execute(ran::incrementAndGet)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void tasksHandedOverInADeferringScopeRunOnceTheOutermostScopeCloses() throws Exception {
        AtomicInteger ran = new AtomicInteger();
        try (FlusherThreads flushers = new FlusherThreads(1, "test-flusher")) {
            // Let the thread fall asleep, so that only a wake-up gets it going.
            flushers.execute(ran::incrementAndGet);
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 1 && flushers.allAsleep());
            try (FlusherThreads.WakeUpScope outer = FlusherThreads.deferWakeUps()) {
                try (FlusherThreads.WakeUpScope inner = FlusherThreads.deferWakeUps()) {
                    for (int i = 0; i < 100; i++) {
                        flushers.execute(ran::incrementAndGet);
                    }
                }
                // Still deferred inside the outer scope.
                await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> ran.get() == 1);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 101);
        }
    }
}
