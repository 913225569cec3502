package io.eventstreamer.examples.bridges;

import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;

/** The demo's Quartz jobs. Public, with public constructors: Quartz creates them for every run. */
public final class DemoJobs {
    private DemoJobs() {
    }

    /** Refreshes a cache; every fourth run fails. */
    public static final class CacheRefresh implements Job {
        private static final AtomicInteger RUNS = new AtomicInteger();

        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            if (RUNS.incrementAndGet() % 4 == 0) {
                throw new JobExecutionException("cache backend timed out after 2 s");
            }
        }
    }

    /** Builds a report, which takes a moment. */
    public static final class Report implements Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            try {
                Thread.sleep(350);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JobExecutionException("interrupted while building the report", e);
            }
        }
    }
}
