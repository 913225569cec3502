package io.eventstreamer.bridges.resilience4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.client.StreamEvent;
import io.eventstreamer.sources.errorrecovery.ErrorRecoveryEvents;
import io.eventstreamer.sources.errorrecovery.ErrorRecoverySource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real circuit breakers, the real host, a real client: what a dashboard subscribed to error-recovery sees. */
class CircuitBreakerBridgeTest {
    private final ObjectMapper json = new ObjectMapper();
    private SubscribedHost subscribed;
    private Resilience4jBridge bridge;

    @BeforeEach
    void startHost() throws InterruptedException {
        subscribed = SubscribedHost.start(ErrorRecoverySource.CATEGORY);
    }

    @AfterEach
    void stop() {
        if (bridge != null) {
            bridge.close();
        }
        subscribed.close();
    }

    @Test
    @DisplayName("a breaker that trips on failing calls and recovers is seen closed → open → half-open → closed")
    void breakerTripsAndRecovers() throws Exception {
        CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
                .slidingWindowSize(4)
                .minimumNumberOfCalls(4)
                .failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofMillis(200))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(2)
                .build());
        bridge = Resilience4jBridge.connect(events(), circuitBreakers, RetryRegistry.ofDefaults());
        // Created after connect: the bridge hears of it from the registry.
        CircuitBreaker breaker = circuitBreakers.circuitBreaker("inventory-service");

        for (int call = 1; call <= 4; call++) {
            assertThatThrownBy(() -> breaker.executeSupplier(() -> {
                throw new IllegalStateException("inventory-service answered 503");
            })).isInstanceOf(IllegalStateException.class);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        await().atMost(SubscribedHost.TIMEOUT).until(() -> breaker.getState() == CircuitBreaker.State.HALF_OPEN);
        breaker.executeSupplier(() -> "reserved");
        breaker.executeSupplier(() -> "reserved");
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        List<StreamEvent> events = subscribed.awaitEvents(3);
        assertThat(events).extracting(StreamEvent::type).containsExactly("circuit-breaker-state-changed",
                "circuit-breaker-state-changed", "circuit-breaker-state-changed");

        JsonNode opened = events.get(0).data();
        assertThat(without(opened, "nextAttemptAt")).isEqualTo(json.readTree("{\"circuitBreakerName\":"
                + "\"inventory-service\",\"fromState\":\"closed\",\"toState\":\"open\",\"reason\":\"failure rate "
                + "100% at or above threshold 50%\",\"failureRate\":100.0,\"slowCallRate\":0.0,\"waitDurationMs\":200}"));
        assertThat(Instant.parse(opened.path("nextAttemptAt").asText()))
                .isBetween(events.get(0).timestamp().minusSeconds(1), events.get(0).timestamp().plusSeconds(1));
        assertThat(events.get(1).data()).isEqualTo(json.readTree(
                "{\"circuitBreakerName\":\"inventory-service\",\"fromState\":\"open\",\"toState\":\"half-open\"}"));
        assertThat(events.get(2).data()).isEqualTo(json.readTree(
                "{\"circuitBreakerName\":\"inventory-service\",\"fromState\":\"half-open\",\"toState\":\"closed\"}"));
    }

    @Test
    @DisplayName("breakers that existed before connect, were created after it or replaced in the registry are all heard, manual states included")
    void everyBreakerOfTheRegistryIsHeard() throws Exception {
        CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
        CircuitBreaker before = circuitBreakers.circuitBreaker("billing-service");
        bridge = Resilience4jBridge.connect(events(), circuitBreakers);
        CircuitBreaker after = circuitBreakers.circuitBreaker("shipping-service");
        CircuitBreaker replacement = CircuitBreaker.ofDefaults("billing-service");
        circuitBreakers.replace("billing-service", replacement);

        before.transitionToForcedOpenState();
        after.transitionToDisabledState();
        replacement.transitionToMetricsOnlyState();

        List<StreamEvent> events = subscribed.awaitEvents(3);
        assertThat(events).extracting(event -> event.data().path("circuitBreakerName").asText() + " "
                        + event.data().path("fromState").asText() + " -> " + event.data().path("toState").asText())
                .containsExactly("billing-service closed -> forced-open", "shipping-service closed -> disabled",
                        "billing-service closed -> metrics-only");
    }

    private ErrorRecoveryEvents events() {
        return new ErrorRecoveryEvents(subscribed.host().emitter(ErrorRecoverySource.CATEGORY));
    }

    private static JsonNode without(JsonNode data, String field) {
        ObjectNode copy = data.deepCopy();
        copy.remove(field);
        return copy;
    }
}
