package io.eventstreamer.bridges.quartz;

import java.time.Instant;
import java.util.Date;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.TriggerKey;
import org.quartz.core.JobExecutionProcessException;

/** How the bridge names Quartz's things in scheduler events. */
final class QuartzSchedules {
    private QuartzSchedules() {
    }

    /** A schedule is a trigger: its key, {@code group.name} as Quartz prints it, e.g. {@code reports.nightly}. */
    static String scheduleId(TriggerKey key) {
        return key.toString();
    }

    /**
     * A run is a firing: Quartz's fire instance id, unique per firing; a run that the job asked to
     * run again at once ({@code refireImmediately}) gets the refire count appended.
     */
    static String executionId(JobExecutionContext context) {
        if (context.getRefireCount() == 0) {
            return context.getFireInstanceId();
        }
        return context.getFireInstanceId() + "/" + context.getRefireCount();
    }

    /** A schedule's name is its trigger's description, if it has one. */
    static String name(JobExecutionContext context) {
        return context.getTrigger().getDescription();
    }

    static Instant instant(Date date) {
        return date == null ? null : date.toInstant();
    }

    /**
     * Why a run failed, in the job's words. What a job throws other than a JobExecutionException
     * Quartz wraps twice, in a JobExecutionProcessException ("Job threw an unhandled exception")
     * inside a JobExecutionException: then it is the message of what the job threw.
     */
    static String errorMessage(JobExecutionException failure) {
        Throwable reported = failure;
        if (failure.getCause() instanceof JobExecutionProcessException && failure.getCause().getCause() != null) {
            reported = failure.getCause().getCause();
        }
        if (reported.getMessage() != null) {
            return reported.getMessage();
        }
        return reported.getClass().getName();
    }
}
