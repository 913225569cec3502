package io.eventstreamer.sources.scheduler;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.JsonType;

/**
 * The event types of the {@value SchedulerSource#CATEGORY} category and their payloads.
 *
 * <p>Every event names its schedule by {@code scheduleId}. A run is announced by
 * {@value #SCHEDULE_EXECUTED} and ends with {@value #EXECUTION_COMPLETED}, both carrying the
 * run's {@code executionId}; both declare {@code scheduleId} as coalesce key, since a dashboard
 * shows the latest run of each schedule. A fire time the schedule missed is a
 * {@value #SCHEDULE_MISFIRED}. docs/events.md documents every field with examples.
 */
public final class SchedulerCatalog {
    /** A schedule fired and a run of its task started. */
    public static final String SCHEDULE_EXECUTED = "schedule-executed";
    /** A run of a schedule's task finished. */
    public static final String EXECUTION_COMPLETED = "execution-completed";
    /** A schedule was created. */
    public static final String SCHEDULE_CREATED = "schedule-created";
    /** A schedule was deleted. */
    public static final String SCHEDULE_DELETED = "schedule-deleted";
    /** A schedule missed a time it was due to fire. */
    public static final String SCHEDULE_MISFIRED = "schedule-misfired";

    private static final String SCHEDULE_ID = "Id of the schedule, the same in every event about it.";
    private static final String NAME = "Human-readable name of the schedule, e.g. \"Nightly report\".";

    private static final EventCatalog CATALOG = EventCatalog.builder(SchedulerSource.CATEGORY)
            .add(scheduleExecuted())
            .add(executionCompleted())
            .add(scheduleCreated())
            .add(scheduleDeleted())
            .add(scheduleMisfired())
            .build();

    private SchedulerCatalog() {
    }

    /** The catalog of the {@value SchedulerSource#CATEGORY} category. */
    public static EventCatalog catalog() {
        return CATALOG;
    }

    private static EventType scheduleExecuted() {
        return EventType.builder(SCHEDULE_EXECUTED, "A schedule fired and a run of its task started.")
                .required("scheduleId", JsonType.STRING, SCHEDULE_ID)
                .optional("executionId", JsonType.STRING,
                        "Id of this run, repeated in its execution-completed event.")
                .optional("name", JsonType.STRING, NAME)
                .requiredTimestamp("startedAt", "When the run started.")
                .optionalTimestamp("scheduledFor",
                        "When the run was due; startedAt minus scheduledFor is how late the scheduler was.")
                .coalesceKey("scheduleId")
                .build();
    }

    private static EventType executionCompleted() {
        return EventType.builder(EXECUTION_COMPLETED, "A run of a schedule's task finished, "
                        + "successfully or not.")
                .required("scheduleId", JsonType.STRING, SCHEDULE_ID)
                .required("executionId", JsonType.STRING, "Id of the run, as in its schedule-executed event.")
                .optional("name", JsonType.STRING, NAME)
                .required("status", JsonType.STRING,
                        "How the run ended: \"succeeded\", \"failed\", \"timed-out\" or \"cancelled\".")
                .required("durationMs", JsonType.INTEGER, "How long the run took, in milliseconds.")
                .optional("errorMessage", JsonType.STRING, "Why a run that did not succeed failed.")
                .optionalTimestamp("nextRunAt", "When the schedule fires next; absent when it won't fire again.")
                .coalesceKey("scheduleId")
                .build();
    }

    private static EventType scheduleCreated() {
        return EventType.builder(SCHEDULE_CREATED, "A schedule was created: from now on its task runs at the "
                        + "times its trigger gives, a cron expression or a fixed interval.")
                .required("scheduleId", JsonType.STRING, SCHEDULE_ID)
                .optional("name", JsonType.STRING, NAME)
                .optional("task", JsonType.STRING,
                        "What the schedule runs: a job name, class or command, e.g. \"reports.generate-daily\".")
                .optional("cron", JsonType.STRING,
                        "Cron expression of the trigger, e.g. \"0 3 * * *\"; absent for an interval schedule.")
                .optional("intervalMs", JsonType.INTEGER,
                        "Time between runs of an interval schedule, in milliseconds; absent for a cron schedule.")
                .optional("timezone", JsonType.STRING,
                        "Time zone the cron expression is evaluated in, as an IANA id, e.g. \"Europe/Berlin\".")
                .optionalTimestamp("nextRunAt", "When the schedule fires first.")
                .optional("createdBy", JsonType.STRING, "Who created it: a user or a service.")
                .build();
    }

    private static EventType scheduleDeleted() {
        return EventType.builder(SCHEDULE_DELETED, "A schedule was deleted and will not fire again. "
                        + "A run already started still completes and is reported by execution-completed.")
                .required("scheduleId", JsonType.STRING, SCHEDULE_ID)
                .optional("name", JsonType.STRING, NAME)
                .optional("reason", JsonType.STRING,
                        "Why it was deleted, e.g. \"expired\", \"replaced\" or an operator's note.")
                .optional("deletedBy", JsonType.STRING, "Who deleted it: a user or a service.")
                .build();
    }

    private static EventType scheduleMisfired() {
        return EventType.builder(SCHEDULE_MISFIRED, "A schedule missed a time it was due to fire, e.g. because "
                        + "the scheduler was down or all its threads were busy. What happens instead (a late run, "
                        + "or none until the next time) is the scheduler's misfire policy; a late run is reported "
                        + "by schedule-executed as usual.")
                .required("scheduleId", JsonType.STRING, SCHEDULE_ID)
                .optional("name", JsonType.STRING, NAME)
                .optional("task", JsonType.STRING,
                        "What the schedule runs: a job name, class or command, e.g. \"reports.generate-daily\".")
                .requiredTimestamp("scheduledFor", "The time the schedule was due to fire and missed.")
                .build();
    }
}
