package io.eventstreamer.bridges.resilience4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.client.StreamEvent;
import io.eventstreamer.sources.errorrecovery.ErrorRecoveryEvents;
import io.eventstreamer.sources.errorrecovery.ErrorRecoverySource;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real retries, the real host, a real client: the retry sequences a dashboard subscribed to error-recovery sees. */
class RetryBridgeTest {
    private static final String NAME = "payment-capture";
    /** Fields whose values are times or measured durations, checked apart from the rest. */
    private static final List<String> MEASURED = List.of("nextRetryAt", "durationMs", "firstOccurredAt");

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger calls = new AtomicInteger();
    private SubscribedHost subscribed;
    private Resilience4jBridge bridge;
    private Retry retry;

    @BeforeEach
    void startHostAndConnect() throws InterruptedException {
        subscribed = SubscribedHost.start(ErrorRecoverySource.CATEGORY);
        RetryRegistry retries = RetryRegistry.of(RetryConfig.custom()
                .maxAttempts(3)
                .waitDuration(Duration.ofMillis(50))
                .ignoreExceptions(IllegalArgumentException.class)
                .build());
        bridge = Resilience4jBridge.connect(
                new ErrorRecoveryEvents(subscribed.host().emitter(ErrorRecoverySource.CATEGORY)), retries);
        retry = retries.retry(NAME);
    }

    @AfterEach
    void stop() {
        bridge.close();
        subscribed.close();
    }

    @Test
    @DisplayName("a call that succeeds on the third attempt: two retries, the second succeeds, the error is resolved")
    void succeedsOnTheThirdAttempt() throws Exception {
        String result = retry.executeSupplier(failingUntilAttempt(3));
        assertThat(result).isEqualTo("captured on attempt 3");

        List<StreamEvent> events = subscribed.awaitEvents(5);
        assertThat(withoutMeasured(events)).containsExactly(
                event("retry-started", "{\"retryId\":\"payment-capture\",\"operation\":\"payment-capture\","
                        + "\"attemptNumber\":1,\"maxAttempts\":2,\"errorMessage\":\"gateway answered 503 on attempt 1\","
                        + "\"errorType\":\"java.lang.IllegalStateException\"}"),
                event("retry-completed", "{\"retryId\":\"payment-capture\",\"operation\":\"payment-capture\","
                        + "\"attemptNumber\":1,\"outcome\":\"failed\",\"errorMessage\":\"gateway answered 503 on attempt 2\"}"),
                event("retry-started", "{\"retryId\":\"payment-capture\",\"operation\":\"payment-capture\","
                        + "\"attemptNumber\":2,\"maxAttempts\":2,\"errorMessage\":\"gateway answered 503 on attempt 2\","
                        + "\"errorType\":\"java.lang.IllegalStateException\"}"),
                event("retry-completed", "{\"retryId\":\"payment-capture\",\"operation\":\"payment-capture\","
                        + "\"attemptNumber\":2,\"outcome\":\"succeeded\"}"),
                event("error-resolved", "{\"errorId\":\"payment-capture\",\"retryId\":\"payment-capture\","
                        + "\"operation\":\"payment-capture\",\"errorMessage\":\"gateway answered 503 on attempt 2\","
                        + "\"resolution\":\"retry-succeeded\",\"attempts\":3}"));
        assertMeasuredFieldsAreSane(events);
        assertThat(Instant.parse(events.get(4).data().path("firstOccurredAt").asText()))
                .isBeforeOrEqualTo(Instant.parse(events.get(0).data().path("nextRetryAt").asText()));
    }

    @Test
    @DisplayName("a call that fails on every attempt: two retries, the second is exhausted")
    void givesUp() throws Exception {
        assertThatThrownBy(() -> retry.executeSupplier(failingUntilAttempt(Integer.MAX_VALUE)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("gateway answered 503 on attempt 3");

        List<StreamEvent> events = subscribed.awaitEvents(4);
        assertThat(withoutMeasured(events)).containsExactly(
                event("retry-started", "{\"retryId\":\"payment-capture\",\"operation\":\"payment-capture\","
                        + "\"attemptNumber\":1,\"maxAttempts\":2,\"errorMessage\":\"gateway answered 503 on attempt 1\","
                        + "\"errorType\":\"java.lang.IllegalStateException\"}"),
                event("retry-completed", "{\"retryId\":\"payment-capture\",\"operation\":\"payment-capture\","
                        + "\"attemptNumber\":1,\"outcome\":\"failed\",\"errorMessage\":\"gateway answered 503 on attempt 2\"}"),
                event("retry-started", "{\"retryId\":\"payment-capture\",\"operation\":\"payment-capture\","
                        + "\"attemptNumber\":2,\"maxAttempts\":2,\"errorMessage\":\"gateway answered 503 on attempt 2\","
                        + "\"errorType\":\"java.lang.IllegalStateException\"}"),
                event("retry-completed", "{\"retryId\":\"payment-capture\",\"operation\":\"payment-capture\","
                        + "\"attemptNumber\":2,\"outcome\":\"exhausted\",\"errorMessage\":\"gateway answered 503 on attempt 3\"}"));
        assertMeasuredFieldsAreSane(events);
    }

    @Test
    @DisplayName("an error the retry doesn't retry ends the sequence in flight as exhausted")
    void ignoredErrorEndsTheSequence() throws Exception {
        Supplier<String> failsThenRefuses = () -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("gateway answered 503 on attempt 1");
            }
            throw new IllegalArgumentException("card declined");
        };
        assertThatThrownBy(() -> retry.executeSupplier(failsThenRefuses)).hasMessage("card declined");

        List<StreamEvent> events = subscribed.awaitEvents(2);
        assertThat(withoutMeasured(events)).extracting(node -> node.path("event").asText() + " "
                        + node.path("data").path("outcome").asText() + " " + node.path("data").path("errorMessage").asText())
                .containsExactly("retry-started  gateway answered 503 on attempt 1", "retry-completed exhausted card declined");
    }

    private Supplier<String> failingUntilAttempt(int succeedingAttempt) {
        return () -> {
            int attempt = calls.incrementAndGet();
            if (attempt < succeedingAttempt) {
                throw new IllegalStateException("gateway answered 503 on attempt " + attempt);
            }
            return "captured on attempt " + attempt;
        };
    }

    private JsonNode event(String type, String data) throws Exception {
        return json.readTree("{\"event\":\"" + type + "\",\"data\":" + data + "}");
    }

    /** Each event as {"event":type,"data":...} without its measured fields. */
    private List<JsonNode> withoutMeasured(List<StreamEvent> events) {
        List<JsonNode> stripped = new ArrayList<>();
        for (StreamEvent event : events) {
            ObjectNode data = event.data().deepCopy();
            data.remove(MEASURED);
            ObjectNode node = json.createObjectNode();
            node.put("event", event.type());
            node.set("data", data);
            stripped.add(node);
        }
        return stripped;
    }

    /** Retries are due after the 50 ms wait; attempts take no negative time. */
    private static void assertMeasuredFieldsAreSane(List<StreamEvent> events) {
        for (StreamEvent event : events) {
            JsonNode data = event.data();
            if (event.type().equals("retry-started")) {
                assertThat(Instant.parse(data.path("nextRetryAt").asText()))
                        .as("nextRetryAt of %s", event.raw())
                        .isAfter(event.timestamp().minusSeconds(1))
                        .isBefore(event.timestamp().plusSeconds(1));
            }
            if (event.type().equals("retry-completed")) {
                assertThat(data.path("durationMs").canConvertToLong()).as("durationMs of %s", event.raw()).isTrue();
                assertThat(data.path("durationMs").asLong()).as("durationMs of %s", event.raw()).isBetween(0L, 5_000L);
            }
        }
    }
}
