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
 *
 * <p>A publisher that hands over many tasks at once (an event to all its subscribers, a batch of
 * events) does so inside {@link #deferWakeUps()}: the threads are woken when it is done. Woken
 * after the first task, a flusher thread would take the publisher's core away (the scheduler
 * favours the thread that slept) to send one event to one client, and again for the next; woken at
 * the end, it finds every queue filled and sends each client's events in one write.
 */
public final class FlusherThreads implements Executor, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlusherThreads.class);
    private static final ThreadLocal<Deferral> DEFERRAL = ThreadLocal.withInitial(Deferral::new);

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
        Deferral deferral = DEFERRAL.get();
        if (deferral.depth > 0) {
            deferral.defer(this);
            return;
        }
        wake(1);
    }

    /** Whether every thread is parked, waiting for a wake-up (for tests). */
    boolean allAsleep() {
        for (Worker worker : workers) {
            if (!worker.asleep.get() || worker.thread.getState() != Thread.State.WAITING) {
                return false;
            }
        }
        return true;
    }

    /** Wakes up to {@code count} sleeping threads. */
    private void wake(int count) {
        int woken = 0;
        for (Worker worker : workers) {
            if (woken == count) {
                return;
            }
            if (worker.asleep.get() && worker.asleep.compareAndSet(true, false)) {
                LockSupport.unpark(worker.thread);
                woken++;
            }
        }
    }

    /**
     * Until the returned scope is closed, tasks handed over by the calling thread wait in the queue
     * without waking a flusher thread (a thread that is awake still takes them). Scopes nest.
     */
    public static WakeUpScope deferWakeUps() {
        Deferral deferral = DEFERRAL.get();
        deferral.depth++;
        return deferral;
    }

    /** Closing it wakes the flusher threads for the tasks deferred since it was opened. */
    public interface WakeUpScope extends AutoCloseable {
        @Override
        void close();
    }

    /** The calling thread's deferred wake-ups (nearly always for one {@code FlusherThreads}). */
    private static final class Deferral implements WakeUpScope {
        int depth;
        private FlusherThreads pending;
        private int count;

        void defer(FlusherThreads flushers) {
            if (pending != null && pending != flushers) {
                pending.wake(count);
                count = 0;
            }
            pending = flushers;
            count++;
        }

        @Override
        public void close() {
            if (--depth > 0 || pending == null) {
                return;
            }
            FlusherThreads flushers = pending;
            int deferred = count;
            pending = null;
            count = 0;
            flushers.wake(deferred);
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
