package io.eventstreamer.core.internal.fanout;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The threads that drain client queues. A publish hands one task per recipient to them, so handing
 * over must be cheap: a lock-free queue and a wake-up only for a thread that is asleep, where a
 * {@code ThreadPoolExecutor} takes two locks per task.
 */
public final class FlusherThreads implements Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlusherThreads.class);

    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Worker[] workers;
    private volatile boolean stopped;

    public FlusherThreads(int threads, String namePrefix) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads was " + threads + " but must be >= 1");
        }
        workers = new Worker[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(namePrefix + "-" + (i + 1));
        }
        for (Worker worker : workers) {
            worker.thread.start();
        }
    }

    @Override
    public void execute(Runnable task) {
        if (stopped) {
            throw new RejectedExecutionException("the flusher threads are stopped");
        }
        tasks.offer(task);
        for (Worker worker : workers) {
            if (worker.asleep.get() && worker.asleep.compareAndSet(true, false)) {
                LockSupport.unpark(worker.thread);
                return;
            }
        }
    }

    /** Stops the threads; tasks still queued are dropped (the connections are closing anyway). */
    @Override
    public void close() {
        stopped = true;
        for (Worker worker : workers) {
            LockSupport.unpark(worker.thread);
        }
        tasks.clear();
    }

    private final class Worker implements Runnable {
        final Thread thread;
        final AtomicBoolean asleep = new AtomicBoolean();

        Worker(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
        }

        @Override
        public void run() {
            while (!stopped) {
                Runnable task = tasks.poll();
                if (task != null) {
                    runSafely(task);
                    continue;
                }
                asleep.set(true);
                // A task queued before the flag was set would not have woken this thread: look again.
                if (tasks.isEmpty() && !stopped) {
                    LockSupport.park(this);
                }
                asleep.set(false);
            }
        }

        private void runSafely(Runnable task) {
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.error("A flusher task failed", e);
            }
        }
    }
}
