package io.eventstreamer.sources.scheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventType;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SchedulerEventsTest {
    private static final Instant STARTED = Instant.parse("2026-03-01T03:00:00.412Z");
    private static final Instant DUE = Instant.parse("2026-03-01T03:00:00Z");

    private final RecordingEmitter emitter = RecordingEmitter.strict(SchedulerCatalog.catalog());
    private final SchedulerEvents events = new SchedulerEvents(emitter);

    @Test
    void scheduleExecuted() {
        String id = events.scheduleExecuted("nightly-report", STARTED);
        assertThat(id).isEqualTo(emitter.lastEvent().id());
        assertEmitted("schedule-executed", Map.of("scheduleId", "nightly-report", "startedAt", "2026-03-01T03:00:00.412Z"));

        events.scheduleExecuted("nightly-report", "run-981", "Nightly report", STARTED, DUE);
        assertEmitted("schedule-executed", Map.of("scheduleId", "nightly-report", "executionId", "run-981",
                "name", "Nightly report", "startedAt", "2026-03-01T03:00:00.412Z",
                "scheduledFor", "2026-03-01T03:00:00.000Z"));
    }

    @Test
    void executionCompleted() {
        events.executionCompleted("nightly-report", "run-981", ExecutionStatus.SUCCEEDED, Duration.ofMillis(41_877));
        assertEmitted("execution-completed", Map.of("scheduleId", "nightly-report", "executionId", "run-981",
                "status", "succeeded", "durationMs", 41_877L));

        events.executionCompleted("nightly-report", "run-982", "Nightly report", ExecutionStatus.TIMED_OUT,
                Duration.ofMinutes(10), "killed after 10 minutes", DUE.plus(Duration.ofDays(1)));
        assertEmitted("execution-completed", Map.of("scheduleId", "nightly-report", "executionId", "run-982",
                "name", "Nightly report", "status", "timed-out", "durationMs", 600_000L,
                "errorMessage", "killed after 10 minutes", "nextRunAt", "2026-03-02T03:00:00.000Z"));
    }

    @Test
    void scheduleCreated() {
        events.scheduleCreated("nightly-report");
        assertEmitted("schedule-created", Map.of("scheduleId", "nightly-report"));

        events.scheduleCreated("nightly-report", "Nightly report", "reports.generate-daily", "0 3 * * *", null,
                ZoneId.of("Europe/Berlin"), DUE, "alice");
        assertEmitted("schedule-created", Map.of("scheduleId", "nightly-report", "name", "Nightly report",
                "task", "reports.generate-daily", "cron", "0 3 * * *", "timezone", "Europe/Berlin",
                "nextRunAt", "2026-03-01T03:00:00.000Z", "createdBy", "alice"));

        events.scheduleCreated("cache-refresh", null, "cache.refresh", null, Duration.ofMinutes(5), null, null, null);
        assertEmitted("schedule-created", Map.of("scheduleId", "cache-refresh", "task", "cache.refresh",
                "intervalMs", 300_000L));
    }

    @Test
    void scheduleDeleted() {
        events.scheduleDeleted("nightly-report");
        assertEmitted("schedule-deleted", Map.of("scheduleId", "nightly-report"));

        events.scheduleDeleted("nightly-report", "Nightly report", "replaced by weekly-report", "alice");
        assertEmitted("schedule-deleted", Map.of("scheduleId", "nightly-report", "name", "Nightly report",
                "reason", "replaced by weekly-report", "deletedBy", "alice"));
    }

    @Test
    void scheduleMisfired() {
        events.scheduleMisfired("nightly-report", DUE);
        assertEmitted("schedule-misfired", Map.of("scheduleId", "nightly-report",
                "scheduledFor", "2026-03-01T03:00:00.000Z"));

        events.scheduleMisfired("nightly-report", "Nightly report", "reports.generate-daily", DUE);
        assertEmitted("schedule-misfired", Map.of("scheduleId", "nightly-report", "name", "Nightly report",
                "task", "reports.generate-daily", "scheduledFor", "2026-03-01T03:00:00.000Z"));
    }

    @Test
    void refusesEmitterOfAnotherCategory() {
        RecordingEmitter other = RecordingEmitter.of(EventCatalog.builder("dlq")
                .add(EventType.builder("entry-added", "d").build())
                .build());
        assertThatThrownBy(() -> new SchedulerEvents(other))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("emitter publishes to category 'dlq', not 'scheduler'");
    }

    @Test
    void refusesMissingRequiredArgumentsAndImpossibleValues() {
        assertThatThrownBy(() -> events.scheduleExecuted(null, STARTED))
                .isInstanceOf(NullPointerException.class).hasMessage("scheduleId is null");
        assertThatThrownBy(() -> events.executionCompleted("s", null, ExecutionStatus.FAILED, Duration.ZERO))
                .isInstanceOf(NullPointerException.class).hasMessage("executionId is null");
        assertThatThrownBy(() -> events.executionCompleted("s", "r", null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class).hasMessage("status is null");
        assertThatThrownBy(() -> events.scheduleCreated("s", null, null, null, Duration.ZERO, null, null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("interval must be positive but was PT0S");
        assertThat(emitter.events()).isEmpty();
    }

    private void assertEmitted(String eventType, Map<String, Object> payload) {
        RecordingEmitter.Event event = emitter.lastEvent();
        assertThat(event.eventType()).isEqualTo(eventType);
        assertThat(event.payload()).isEqualTo(payload);
    }
}
