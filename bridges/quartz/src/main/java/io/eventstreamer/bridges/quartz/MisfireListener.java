package io.eventstreamer.bridges.quartz;

import static io.eventstreamer.bridges.quartz.QuartzSchedules.instant;
import static io.eventstreamer.bridges.quartz.QuartzSchedules.scheduleId;

import io.eventstreamer.sources.scheduler.SchedulerEvents;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;

/** Misfires: {@code schedule-misfired}. */
final class MisfireListener extends TriggerListenerSupport {
    private final String name;
    private final SchedulerEvents events;
    private final EventSink sink;

    MisfireListener(String name, SchedulerEvents events, EventSink sink) {
        this.name = name;
        this.events = events;
        this.sink = sink;
    }

    @Override
    public String getName() {
        return name;
    }

    /** Quartz calls this before it applies the misfire policy, so the next fire time is the one missed. */
    @Override
    public void triggerMisfired(Trigger trigger) {
        sink.publish("the misfire of trigger " + trigger.getKey(), () -> events.scheduleMisfired(
                scheduleId(trigger.getKey()), trigger.getDescription(), trigger.getJobKey().toString(),
                instant(trigger.getNextFireTime())));
    }
}
