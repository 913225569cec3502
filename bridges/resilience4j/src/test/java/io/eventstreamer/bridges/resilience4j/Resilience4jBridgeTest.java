package io.eventstreamer.bridges.resilience4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eventstreamer.sources.errorrecovery.ErrorRecoveryCatalog;
import io.eventstreamer.sources.errorrecovery.ErrorRecoveryEvents;
import io.eventstreamer.spi.EventCatalog;
import io.eventstreamer.spi.EventEmitter;
import io.eventstreamer.spi.testkit.RecordingEmitter;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.RetryRegistry;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The bridge's promises to the application whose calls it watches, without a host. */
class Resilience4jBridgeTest {

    @Test
    @DisplayName("a publication that fails (the host stopped) never reaches the protected call")
    void failedPublicationDoesNotReachTheCall() {
        CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
        Resilience4jBridge.connect(new ErrorRecoveryEvents(new StoppedHostEmitter()), circuitBreakers);
        CircuitBreaker breaker = circuitBreakers.circuitBreaker("inventory-service");

        assertThatCode(breaker::transitionToOpenState).doesNotThrowAnyException();
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
    }

    @Test
    @DisplayName("after close, nothing more is published")
    void closeStopsPublishing() {
        RecordingEmitter emitter = RecordingEmitter.strict(ErrorRecoveryCatalog.catalog());
        CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();
        Resilience4jBridge bridge = Resilience4jBridge.connect(new ErrorRecoveryEvents(emitter), circuitBreakers,
                RetryRegistry.ofDefaults());
        CircuitBreaker breaker = circuitBreakers.circuitBreaker("inventory-service");

        breaker.transitionToOpenState();
        bridge.close();
        breaker.transitionToHalfOpenState();

        assertThat(emitter.events()).extracting(event -> event.payload().get("toState")).containsExactly("open");
    }

    @Test
    void refusesNullArguments() {
        ErrorRecoveryEvents events = new ErrorRecoveryEvents(RecordingEmitter.of(ErrorRecoveryCatalog.catalog()));
        assertThatThrownBy(() -> Resilience4jBridge.connect(null, CircuitBreakerRegistry.ofDefaults()))
                .isInstanceOf(NullPointerException.class).hasMessage("events is null");
        assertThatThrownBy(() -> Resilience4jBridge.connect(events, (CircuitBreakerRegistry) null))
                .isInstanceOf(NullPointerException.class).hasMessage("circuitBreakers is null");
        assertThatThrownBy(() -> Resilience4jBridge.connect(events, CircuitBreakerRegistry.ofDefaults(), null))
                .isInstanceOf(NullPointerException.class).hasMessage("retries is null");
    }

    /** The emitter of a host that has stopped: every emit throws, as the real one does. */
    private static final class StoppedHostEmitter implements EventEmitter {
        @Override
        public String category() {
            return "error-recovery";
        }

        @Override
        public EventCatalog catalog() {
            return ErrorRecoveryCatalog.catalog();
        }

        @Override
        public String emit(String eventType, Map<String, ?> payload) {
            throw new IllegalStateException("the host is not running");
        }
    }
}
