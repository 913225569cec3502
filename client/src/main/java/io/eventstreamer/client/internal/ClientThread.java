package io.eventstreamer.client.internal;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread of a client: runs its state machine, its timers and the application's callbacks,
 * in submission order. A daemon thread, so a client that was never closed doesn't keep a JVM alive.
 */
final class ClientThread {
    private static final Logger LOG = LoggerFactory.getLogger(ClientThread.class);

    private final ScheduledThreadPoolExecutor executor;
    private volatile Thread thread;

    ClientThread(String name) {
        executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    }

    /** Queues a task; {@code false} when the thread was shut down (the task is then dropped). */
    boolean submit(Runnable task) {
        try {
            executor.execute(() -> runGuarded(task));
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /** Runs a task after a delay; {@code null} when the thread was shut down. */
    ScheduledFuture<?> schedule(Runnable task, long delayMillis) {
        try {
            return executor.schedule(() -> runGuarded(task), delayMillis, MILLISECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    void scheduleRepeatedly(Runnable task, long periodMillis) {
        try {
            executor.scheduleWithFixedDelay(() -> runGuarded(task), periodMillis, periodMillis, MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Shut down meanwhile: nothing to repeat.
        }
    }

    boolean isCurrent() {
        return Thread.currentThread() == thread;
    }

    /** Lets queued tasks run, drops delayed and repeated ones, accepts nothing new. */
    void shutDown() {
        executor.shutdown();
    }

    void awaitTermination(Duration timeout) {
        try {
            if (!executor.awaitTermination(timeout.toMillis(), MILLISECONDS)) {
                LOG.warn("{} still busy {} ms after close(); a callback may be blocked", thread, timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for {@code future} for at most {@code timeout}, whatever its outcome. */
    static void awaitQuietly(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("Gave up waiting: {}", e.toString());
        }
    }

    private static void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            // A scheduled executor would otherwise swallow it, and cancel a repeated task.
            LOG.error("Unexpected failure on the client's thread", e);
        }
    }
}
