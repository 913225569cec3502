package io.eventstreamer.bridges.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.eventstreamer.sources.scheduler.SchedulerCatalog;
import io.eventstreamer.sources.scheduler.SchedulerEvents;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;

/** The bridge's promises to the application whose scheduler it listens to, without a host. */
class QuartzBridgeListenersTest {
    private static final TriggerKey TRIGGER = TriggerKey.triggerKey("once", "reports");

    private final AtomicInteger runs = new AtomicInteger();
    private Scheduler scheduler;

    @BeforeEach
    void createScheduler() throws SchedulerException {
        Properties properties = new Properties();
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "listeners-test-" + UUID.randomUUID());
        properties.setProperty("org.quartz.threadPool.threadCount", "1");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        scheduler = new StdSchedulerFactory(properties).getScheduler();
        scheduler.getContext().put(QuartzBridgeTest.FlakyReport.RUNS, runs);
    }

    @AfterEach
    void shutDown() throws SchedulerException {
        scheduler.shutdown(true);
    }

    @Test
    @DisplayName("a publication that fails (the host stopped) never keeps a job from running")
    void failedPublicationDoesNotStopTheJob() throws SchedulerException {
        QuartzBridge.connect(new SchedulerEvents(new StoppedHostEmitter()), scheduler);
        scheduler.scheduleJob(job(), once());
        scheduler.start();

        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.getTrigger(TRIGGER) == null);
        assertThat(runs).hasValue(1);
    }

    @Test
    @DisplayName("close removes the bridge's listeners: nothing more is published")
    void closeRemovesTheListeners() throws SchedulerException {
        RecordingEmitter emitter = RecordingEmitter.strict(SchedulerCatalog.catalog());
        QuartzBridge bridge = QuartzBridge.connect(new SchedulerEvents(emitter), scheduler);
        assertThat(scheduler.getListenerManager().getJobListener(QuartzBridge.LISTENER_NAME)).isNotNull();

        bridge.close();
        scheduler.scheduleJob(job(), once());

        assertThat(scheduler.getListenerManager().getJobListener(QuartzBridge.LISTENER_NAME)).isNull();
        assertThat(scheduler.getListenerManager().getTriggerListener(QuartzBridge.LISTENER_NAME)).isNull();
        assertThat(scheduler.getListenerManager().getSchedulerListeners()).isEmpty();
        assertThat(emitter.events()).isEmpty();
    }

    @Test
    @DisplayName("closing a bridge that a second one replaced leaves the second one's listeners in place")
    void closingAReplacedBridgeKeepsTheNewOne() throws SchedulerException {
        RecordingEmitter emitter = RecordingEmitter.strict(SchedulerCatalog.catalog());
        QuartzBridge first = QuartzBridge.connect(new SchedulerEvents(RecordingEmitter.of(SchedulerCatalog.catalog())),
                scheduler);
        QuartzBridge.connect(new SchedulerEvents(emitter), scheduler);

        first.close();
        scheduler.scheduleJob(job(), once());

        assertThat(emitter.events()).extracting(RecordingEmitter.Event::eventType).containsExactly("schedule-created");
    }

    @Test
    void refusesNullArguments() {
        SchedulerEvents events = new SchedulerEvents(RecordingEmitter.of(SchedulerCatalog.catalog()));
        assertThatThrownBy(() -> QuartzBridge.connect(null, scheduler))
                .isInstanceOf(NullPointerException.class).hasMessage("events is null");
        assertThatThrownBy(() -> QuartzBridge.connect(events, null))
                .isInstanceOf(NullPointerException.class).hasMessage("scheduler is null");
    }

    private static JobDetail job() {
        return JobBuilder.newJob(QuartzBridgeTest.FlakyReport.class).withIdentity("report", "reports").build();
    }

    private static Trigger once() {
        return TriggerBuilder.newTrigger().withIdentity(TRIGGER).startNow().build();
    }

    /** The emitter of a host that has stopped: every emit throws, as the real one does. */
    private static final class StoppedHostEmitter implements EventEmitter {
        @Override
        public String category() {
            return "scheduler";
        }

        @Override
        public EventCatalog catalog() {
            return SchedulerCatalog.catalog();
        }

        @Override
        public String emit(String eventType, Map<String, ?> payload) {
            throw new IllegalStateException("the host is not running");
        }
    }
}
