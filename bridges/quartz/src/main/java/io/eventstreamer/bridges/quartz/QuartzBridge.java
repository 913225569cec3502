package io.eventstreamer.bridges.quartz;

import static java.util.Objects.requireNonNull;

import io.eventstreamer.sources.scheduler.SchedulerEvents;
import org.quartz.ListenerManager;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;

/**
 * Publishes what a Quartz scheduler does as {@code scheduler} events, through the category's
 * typed emitter, so that every event is valid by the catalog.
 *
 * <p>A schedule is a Quartz trigger, named by its key ({@code group.name}); a run is a firing,
 * named by Quartz's fire instance id. {@code connect} adds a scheduler listener, a job listener
 * and a trigger listener for every job and trigger. From then on:
 *
 * <ul>
 *   <li>a trigger scheduled is a {@code schedule-created} (with its cron expression and time zone,
 *       or the interval of a repeating simple trigger, and the first fire time); one unscheduled,
 *       or finished because it will not fire again, a {@code schedule-deleted};
 *   <li>every run is a {@code schedule-executed} when it starts and an {@code execution-completed}
 *       when it ends: {@code "succeeded"}, or {@code "failed"} with the message of what the job
 *       threw, with the run's duration and the next fire time; a run vetoed by a trigger listener
 *       is {@code "cancelled"};
 *   <li>a misfire is a {@code schedule-misfired} with the fire time missed.
 * </ul>
 *
 * <p>Connect before scheduling, so that the existing triggers are announced: the bridge tells of
 * triggers scheduled after it connected. Quartz calls the listeners on the threads that schedule
 * and run the jobs; the bridge never throws into them: a failed publication is logged.
 *
 * <pre>{@code
 * EventStreamer host = EventStreamer.start(config);
 * Scheduler scheduler = StdSchedulerFactory.getDefaultScheduler();
 * QuartzBridge bridge = QuartzBridge.connect(new SchedulerEvents(host.emitter(SchedulerSource.CATEGORY)), scheduler);
 * scheduler.scheduleJob(job, trigger);
 * scheduler.start();
 * // ...
 * bridge.close();   // removes the listeners
 * }</pre>
 */
public final class QuartzBridge implements AutoCloseable {
    /** The name of the job and trigger listeners in the scheduler's listener manager. */
    public static final String LISTENER_NAME = "event-streamer";

    private final ListenerManager listeners;
    private final EventSink sink = new EventSink();
    private final ScheduleListener schedules;
    private final RunListener runs;
    private final MisfireListener misfires;

    private QuartzBridge(SchedulerEvents events, ListenerManager listeners) {
        this.listeners = listeners;
        this.schedules = new ScheduleListener(events, sink);
        this.runs = new RunListener(LISTENER_NAME, events, sink);
        this.misfires = new MisfireListener(LISTENER_NAME, events, sink);
        listeners.addSchedulerListener(schedules);
        // Without matchers, Quartz calls them for every job and every trigger.
        listeners.addJobListener(runs);
        listeners.addTriggerListener(misfires);
    }

    /**
     * Publishes the schedules, runs and misfires of {@code scheduler} until {@link #close()}.
     * Connecting a second bridge to the same scheduler replaces the first one's job and trigger
     * listeners, which share the name {@value #LISTENER_NAME}.
     *
     * @param events the typed emitter of the {@code scheduler} category
     * @throws SchedulerException when the scheduler can't give its listener manager (it was shut down)
     */
    public static QuartzBridge connect(SchedulerEvents events, Scheduler scheduler) throws SchedulerException {
        requireNonNull(events, "events is null");
        requireNonNull(scheduler, "scheduler is null");
        return new QuartzBridge(events, scheduler.getListenerManager());
    }

    /** Removes the bridge's listeners from the scheduler; nothing more is published. */
    @Override
    public void close() {
        sink.close();
        listeners.removeSchedulerListener(schedules);
        // Unless a later bridge replaced them.
        if (listeners.getJobListener(LISTENER_NAME) == runs) {
            listeners.removeJobListener(LISTENER_NAME);
        }
        if (listeners.getTriggerListener(LISTENER_NAME) == misfires) {
            listeners.removeTriggerListener(LISTENER_NAME);
        }
    }
}
