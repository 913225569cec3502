package io.eventstreamer.sources.scheduler;

import io.eventstreamer.spi.Payload;
import static java.util.Objects.requireNonNull;

import io.eventstreamer.spi.EventEmitter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Publishes {@value SchedulerSource#CATEGORY} events from typed arguments, so that a JVM service
 * never writes payloads by hand.
 *
 * <p>Each method builds the payload of one event type of {@link SchedulerCatalog}, publishes it
 * and returns the id the host assigned. Instants are sent as ISO-8601 UTC strings with
 * milliseconds, durations as whole milliseconds. Parameters documented as optional may be
 * {@code null}; the field is then left out. Like {@link EventEmitter#emit}, no method waits on a
 * client, and all are safe to call from any thread.
 *
 * <pre>{@code
 * SchedulerEvents events = new SchedulerEvents(host.emitter(SchedulerSource.CATEGORY));
 * events.scheduleExecuted("nightly-report", "run-981", "Nightly report", Instant.now(), dueAt);
 * events.executionCompleted("nightly-report", "run-981", ExecutionStatus.SUCCEEDED, Duration.ofSeconds(42));
 * }</pre>
 */
public final class SchedulerEvents {
    private final EventEmitter emitter;

    /**
     * @param emitter the emitter of the {@value SchedulerSource#CATEGORY} category
     * @throws IllegalArgumentException when the emitter publishes to another category
     */
    public SchedulerEvents(EventEmitter emitter) {
        this.emitter = requireNonNull(emitter, "emitter is null");
        if (!SchedulerSource.CATEGORY.equals(emitter.category())) {
            throw new IllegalArgumentException(String.format("emitter publishes to category '%s', not '%s'",
                    emitter.category(), SchedulerSource.CATEGORY));
        }
    }

    /**
     * Publishes {@code schedule-executed} with its required fields.
     *
     * @return the event id
     */
    public String scheduleExecuted(String scheduleId, Instant startedAt) {
        return scheduleExecuted(scheduleId, null, null, startedAt, null);
    }

    /**
     * Publishes {@code schedule-executed}.
     *
     * @param executionId optional: id of this run, to pass again to {@link #executionCompleted}
     * @param name optional: human-readable name of the schedule
     * @param scheduledFor optional: when the run was due
     * @return the event id
     */
    public String scheduleExecuted(String scheduleId, String executionId, String name, Instant startedAt,
            Instant scheduledFor) {
        return emitter.emit(SchedulerCatalog.SCHEDULE_EXECUTED, new Payload()
                .required("scheduleId", scheduleId)
                .optional("executionId", executionId)
                .optional("name", name)
                .requiredTimestamp("startedAt", startedAt)
                .optionalTimestamp("scheduledFor", scheduledFor)
                .toMap());
    }

    /**
     * Publishes {@code execution-completed} with its required fields.
     *
     * @param duration how long the run took
     * @return the event id
     */
    public String executionCompleted(String scheduleId, String executionId, ExecutionStatus status,
            Duration duration) {
        return executionCompleted(scheduleId, executionId, null, status, duration, null, null);
    }

    /**
     * Publishes {@code execution-completed}.
     *
     * @param name optional: human-readable name of the schedule
     * @param duration how long the run took
     * @param errorMessage optional: why a run that did not succeed failed
     * @param nextRunAt optional: when the schedule fires next
     * @return the event id
     */
    public String executionCompleted(String scheduleId, String executionId, String name, ExecutionStatus status,
            Duration duration, String errorMessage, Instant nextRunAt) {
        requireNonNull(status, "status is null");
        return emitter.emit(SchedulerCatalog.EXECUTION_COMPLETED, new Payload()
                .required("scheduleId", scheduleId)
                .required("executionId", executionId)
                .optional("name", name)
                .required("status", status.wireName())
                .required("durationMs", Payload.millis(duration, "duration"))
                .optional("errorMessage", errorMessage)
                .optionalTimestamp("nextRunAt", nextRunAt)
                .toMap());
    }

    /**
     * Publishes {@code schedule-created} with its required field.
     *
     * @return the event id
     */
    public String scheduleCreated(String scheduleId) {
        return scheduleCreated(scheduleId, null, null, null, null, null, null, null);
    }

    /**
     * Publishes {@code schedule-created}. A schedule has either a cron expression or an interval.
     *
     * @param name optional: human-readable name
     * @param task optional: what the schedule runs
     * @param cron optional: cron expression of the trigger
     * @param interval optional: time between runs of an interval schedule, positive
     * @param timezone optional: time zone of the cron expression
     * @param nextRunAt optional: when the schedule fires first
     * @param createdBy optional: who created it
     * @return the event id
     */
    public String scheduleCreated(String scheduleId, String name, String task, String cron, Duration interval,
            ZoneId timezone, Instant nextRunAt, String createdBy) {
        Long intervalMs = null;
        if (interval != null) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException(String.format("interval must be positive but was %s", interval));
            }
            intervalMs = interval.toMillis();
        }
        return emitter.emit(SchedulerCatalog.SCHEDULE_CREATED, new Payload()
                .required("scheduleId", scheduleId)
                .optional("name", name)
                .optional("task", task)
                .optional("cron", cron)
                .optional("intervalMs", intervalMs)
                .optional("timezone", timezone == null ? null : timezone.getId())
                .optionalTimestamp("nextRunAt", nextRunAt)
                .optional("createdBy", createdBy)
                .toMap());
    }

    /**
     * Publishes {@code schedule-deleted} with its required field.
     *
     * @return the event id
     */
    public String scheduleDeleted(String scheduleId) {
        return scheduleDeleted(scheduleId, null, null, null);
    }

    /**
     * Publishes {@code schedule-deleted}.
     *
     * @param name optional: human-readable name
     * @param reason optional: why it was deleted
     * @param deletedBy optional: who deleted it
     * @return the event id
     */
    public String scheduleDeleted(String scheduleId, String name, String reason, String deletedBy) {
        return emitter.emit(SchedulerCatalog.SCHEDULE_DELETED, new Payload()
                .required("scheduleId", scheduleId)
                .optional("name", name)
                .optional("reason", reason)
                .optional("deletedBy", deletedBy)
                .toMap());
    }

    /**
     * Publishes {@code schedule-misfired} with its required fields.
     *
     * @param scheduledFor the time the schedule was due to fire and missed
     * @return the event id
     */
    public String scheduleMisfired(String scheduleId, Instant scheduledFor) {
        return scheduleMisfired(scheduleId, null, null, scheduledFor);
    }

    /**
     * Publishes {@code schedule-misfired}.
     *
     * @param name optional: human-readable name
     * @param task optional: what the schedule runs
     * @param scheduledFor the time the schedule was due to fire and missed
     * @return the event id
     */
    public String scheduleMisfired(String scheduleId, String name, String task, Instant scheduledFor) {
        return emitter.emit(SchedulerCatalog.SCHEDULE_MISFIRED, new Payload()
                .required("scheduleId", scheduleId)
                .optional("name", name)
                .optional("task", task)
                .requiredTimestamp("scheduledFor", scheduledFor)
                .toMap());
    }
}
