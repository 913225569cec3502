package io.eventstreamer.bridges.quartz;

import static io.eventstreamer.bridges.quartz.QuartzSchedules.instant;
import static io.eventstreamer.bridges.quartz.QuartzSchedules.scheduleId;

import io.eventstreamer.sources.scheduler.SchedulerEvents;
import java.time.Duration;
import java.time.ZoneId;
import org.quartz.CronTrigger;
import org.quartz.SimpleTrigger;
import org.quartz.Trigger;
import org.quartz.TriggerKey;
import org.quartz.listeners.SchedulerListenerSupport;

/** Triggers scheduled, unscheduled and finished: {@code schedule-created} and {@code schedule-deleted}. */
final class ScheduleListener extends SchedulerListenerSupport {
    private final SchedulerEvents events;
    private final EventSink sink;

    ScheduleListener(SchedulerEvents events, EventSink sink) {
        this.events = events;
        this.sink = sink;
    }

    @Override
    public void jobScheduled(Trigger trigger) {
        sink.publish("the scheduling of trigger " + trigger.getKey(), () -> events.scheduleCreated(
                scheduleId(trigger.getKey()), trigger.getDescription(), trigger.getJobKey().toString(),
                cron(trigger), interval(trigger), timezone(trigger), instant(trigger.getNextFireTime()), null));
    }

    @Override
    public void jobUnscheduled(TriggerKey triggerKey) {
        sink.publish("the unscheduling of trigger " + triggerKey,
                () -> events.scheduleDeleted(scheduleId(triggerKey), null, "unscheduled", null));
    }

    /** Quartz removes a trigger that will not fire again without unscheduling it. */
    @Override
    public void triggerFinalized(Trigger trigger) {
        sink.publish("the end of trigger " + trigger.getKey(), () -> events.scheduleDeleted(
                scheduleId(trigger.getKey()), trigger.getDescription(), "finished: the trigger will not fire again",
                null));
    }

    private static String cron(Trigger trigger) {
        return trigger instanceof CronTrigger ? ((CronTrigger) trigger).getCronExpression() : null;
    }

    private static ZoneId timezone(Trigger trigger) {
        return trigger instanceof CronTrigger ? ((CronTrigger) trigger).getTimeZone().toZoneId() : null;
    }

    /** The interval of a simple trigger that repeats; other triggers have none (calendar intervals vary in length). */
    private static Duration interval(Trigger trigger) {
        if (!(trigger instanceof SimpleTrigger)) {
            return null;
        }
        SimpleTrigger simple = (SimpleTrigger) trigger;
        if (simple.getRepeatCount() == 0 || simple.getRepeatInterval() <= 0) {
            return null;
        }
        return Duration.ofMillis(simple.getRepeatInterval());
    }
}
