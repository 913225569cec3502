package io.eventstreamer.bridges.quartz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.client.StreamEvent;
import io.eventstreamer.sources.scheduler.SchedulerEvents;
import io.eventstreamer.sources.scheduler.SchedulerSource;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.TimeZone;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A real Quartz scheduler (RAMJobStore), the real host, a real client: what a dashboard subscribed to scheduler sees. */
class QuartzBridgeTest {
    private static final TriggerKey TRIGGER = TriggerKey.triggerKey("every-200ms", "reports");

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger runs = new AtomicInteger();
    private SubscribedHost subscribed;
    private Scheduler scheduler;
    private QuartzBridge bridge;

    @BeforeEach
    void startHostSchedulerAndBridge() throws Exception {
        subscribed = SubscribedHost.start(SchedulerSource.CATEGORY);
        Properties properties = new Properties();
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "bridge-test-" + UUID.randomUUID());
        properties.setProperty("org.quartz.threadPool.threadCount", "1");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        scheduler = new StdSchedulerFactory(properties).getScheduler();
        scheduler.getContext().put(FlakyReport.RUNS, runs);
        bridge = QuartzBridge.connect(new SchedulerEvents(subscribed.host().emitter(SchedulerSource.CATEGORY)), scheduler);
    }

    @AfterEach
    void stop() throws SchedulerException {
        try {
            scheduler.shutdown(true);
            bridge.close();
        } finally {
            subscribed.close();
        }
    }

    @Test
    @DisplayName("a job every 200 ms that fails every third run: the client receives the six runs in order with their statuses")
    void runsInOrderWithTheirStatuses() throws Exception {
        scheduler.scheduleJob(flakyReport(), TriggerBuilder.newTrigger()
                .withIdentity(TRIGGER)
                .withDescription("Flaky report")
                .withSchedule(SimpleScheduleBuilder.simpleSchedule().withIntervalInMilliseconds(200).withRepeatCount(5))
                .startNow()
                .build());
        scheduler.start();

        List<StreamEvent> events = subscribed.awaitEvents(1 + 6 * 2 + 1);
        assertThat(events).hasSize(14);
        assertThat(withoutTimes(events.get(0))).isEqualTo(json.readTree("{\"scheduleId\":\"reports.every-200ms\","
                + "\"name\":\"Flaky report\",\"task\":\"reports.flaky-report\",\"intervalMs\":200}"));
        assertThat(events.get(0).type()).isEqualTo("schedule-created");

        List<String> runs = new ArrayList<>();
        List<String> executionIds = new ArrayList<>();
        for (int run = 1; run <= 6; run++) {
            StreamEvent executed = events.get(2 * run - 1);
            StreamEvent completed = events.get(2 * run);
            assertThat(executed.type()).isEqualTo("schedule-executed");
            assertThat(completed.type()).isEqualTo("execution-completed");
            assertThat(executed.data().path("scheduleId").asText()).isEqualTo("reports.every-200ms");
            assertThat(completed.data().path("executionId")).as("run %d's ids", run)
                    .isEqualTo(executed.data().path("executionId"));
            assertThat(completed.data().path("durationMs").asLong()).isBetween(0L, 5_000L);
            assertThat(Instant.parse(executed.data().path("startedAt").asText()))
                    .isAfterOrEqualTo(Instant.parse(executed.data().path("scheduledFor").asText()));
            executionIds.add(executed.data().path("executionId").asText());
            runs.add(completed.data().path("status").asText() + " " + completed.data().path("errorMessage").asText());
        }
        assertThat(runs).containsExactly("succeeded ", "succeeded ", "failed run 3 failed: report database unavailable",
                "succeeded ", "succeeded ", "failed run 6 failed: out of disk space");
        assertThat(executionIds).doesNotHaveDuplicates();
        assertThat(events.get(10).data().has("nextRunAt")).as("a run that another follows tells when").isTrue();
        assertThat(events.get(12).data().has("nextRunAt")).as("the last run has no next").isFalse();

        assertThat(events.get(13).type()).isEqualTo("schedule-deleted");
        assertThat(events.get(13).data()).isEqualTo(json.readTree("{\"scheduleId\":\"reports.every-200ms\","
                + "\"name\":\"Flaky report\",\"reason\":\"finished: the trigger will not fire again\"}"));
    }

    @Test
    @DisplayName("a trigger due long ago misfires: schedule-misfired with the time missed, then the late run")
    void misfire() throws Exception {
        Instant missed = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        scheduler.scheduleJob(flakyReport(), TriggerBuilder.newTrigger()
                .withIdentity(TRIGGER)
                .startAt(Date.from(missed))
                .build());
        scheduler.start();

        List<StreamEvent> events = subscribed.awaitEvents(5);
        assertThat(events).extracting(StreamEvent::type).containsExactly("schedule-created", "schedule-misfired",
                "schedule-executed", "execution-completed", "schedule-deleted");
        assertThat(events.get(1).data()).isEqualTo(json.readTree("{\"scheduleId\":\"reports.every-200ms\","
                + "\"task\":\"reports.flaky-report\",\"scheduledFor\":\"" + timestamp(missed) + "\"}"));
        assertThat(events.get(3).data().path("status").asText()).isEqualTo("succeeded");
    }

    @Test
    @DisplayName("a cron trigger scheduled and unscheduled: schedule-created with its cron expression and time zone, schedule-deleted")
    void cronScheduleCreatedAndDeleted() throws Exception {
        scheduler.scheduleJob(flakyReport(), TriggerBuilder.newTrigger()
                .withIdentity(TRIGGER)
                .withDescription("Nightly report")
                .withSchedule(CronScheduleBuilder.cronSchedule("0 0 3 * * ?").inTimeZone(TimeZone.getTimeZone("Europe/Berlin")))
                .build());
        Trigger trigger = scheduler.getTrigger(TRIGGER);
        scheduler.unscheduleJob(TRIGGER);

        List<StreamEvent> events = subscribed.awaitEvents(2);
        assertThat(events).extracting(StreamEvent::type).containsExactly("schedule-created", "schedule-deleted");
        assertThat(events.get(0).data()).isEqualTo(json.readTree("{\"scheduleId\":\"reports.every-200ms\","
                + "\"name\":\"Nightly report\",\"task\":\"reports.flaky-report\",\"cron\":\"0 0 3 * * ?\","
                + "\"timezone\":\"Europe/Berlin\",\"nextRunAt\":\""
                + timestamp(trigger.getNextFireTime().toInstant()) + "\"}"));
        assertThat(events.get(1).data()).isEqualTo(json.readTree(
                "{\"scheduleId\":\"reports.every-200ms\",\"reason\":\"unscheduled\"}"));
    }

    private static JobDetail flakyReport() {
        return JobBuilder.newJob(FlakyReport.class).withIdentity("flaky-report", "reports").build();
    }

    /** As the typed emitters write instants: ISO-8601 UTC with milliseconds. */
    private static String timestamp(Instant instant) {
        return DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC).format(instant);
    }

    private static JsonNode withoutTimes(StreamEvent event) {
        ObjectNode data = event.data().deepCopy();
        data.remove(List.of("nextRunAt", "startedAt", "scheduledFor"));
        return data;
    }

    /**
     * Fails every third run, once as a job reports a failure (a JobExecutionException), once with
     * an exception it doesn't handle. Public with a public constructor: Quartz creates it.
     */
    public static final class FlakyReport implements Job {
        static final String RUNS = "runs";

        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            int run;
            try {
                run = ((AtomicInteger) context.getScheduler().getContext().get(RUNS)).incrementAndGet();
            } catch (SchedulerException e) {
                throw new JobExecutionException(e);
            }
            if (run == 3) {
                throw new JobExecutionException("run 3 failed: report database unavailable");
            }
            if (run == 6) {
                throw new IllegalStateException("run 6 failed: out of disk space");
            }
        }
    }
}
