package io.eventstreamer.bridges.quartz;

import static io.eventstreamer.bridges.quartz.QuartzSchedules.executionId;
import static io.eventstreamer.bridges.quartz.QuartzSchedules.instant;
import static io.eventstreamer.bridges.quartz.QuartzSchedules.name;
import static io.eventstreamer.bridges.quartz.QuartzSchedules.scheduleId;

import io.eventstreamer.sources.scheduler.ExecutionStatus;
import io.eventstreamer.sources.scheduler.SchedulerEvents;
import java.time.Duration;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.listeners.JobListenerSupport;

/** The runs of every job: {@code schedule-executed} before, {@code execution-completed} after. */
final class RunListener extends JobListenerSupport {
    private final String name;
    private final SchedulerEvents events;
    private final EventSink sink;

    RunListener(String name, SchedulerEvents events, EventSink sink) {
        this.name = name;
        this.events = events;
        this.sink = sink;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void jobToBeExecuted(JobExecutionContext context) {
        sink.publish("the start of a run of trigger " + context.getTrigger().getKey(), () -> events.scheduleExecuted(
                scheduleId(context.getTrigger().getKey()), executionId(context), name(context),
                context.getFireTime().toInstant(), instant(context.getScheduledFireTime())));
    }

    @Override
    public void jobWasExecuted(JobExecutionContext context, JobExecutionException failure) {
        sink.publish("the end of a run of trigger " + context.getTrigger().getKey(), () -> {
            ExecutionStatus status = failure == null ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED;
            String errorMessage = failure == null ? null : QuartzSchedules.errorMessage(failure);
            events.executionCompleted(scheduleId(context.getTrigger().getKey()), executionId(context), name(context),
                    status, Duration.ofMillis(context.getJobRunTime()), errorMessage, instant(context.getNextFireTime()));
        });
    }

    /** A trigger listener vetoed the run: it never started, so no schedule-executed came before. */
    @Override
    public void jobExecutionVetoed(JobExecutionContext context) {
        sink.publish("the veto of a run of trigger " + context.getTrigger().getKey(), () -> events.executionCompleted(
                scheduleId(context.getTrigger().getKey()), executionId(context), name(context),
                ExecutionStatus.CANCELLED, Duration.ZERO, "vetoed by a trigger listener",
                instant(context.getNextFireTime())));
    }
}
