package io.eventstreamer.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class EventStreamClientBuilderTest {
    private static final URI SERVER = URI.create("ws://127.0.0.1:8080/ws");

    @Test
    @DisplayName("categories and onEvent are required")
    void required() {
        assertThatThrownBy(() -> EventStreamClient.builder(SERVER).onEvent(e -> { }).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no categories: call categories(...)");
        assertThatThrownBy(() -> EventStreamClient.builder(SERVER).categories("dlq").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no onEvent callback: call onEvent(...)");
    }

    @Test
    void invalidValues() {
        assertThatThrownBy(() -> EventStreamClient.builder(URI.create("http://127.0.0.1:8080/ws")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uri was http://127.0.0.1:8080/ws but must start with ws:// or wss://");
        EventStreamClient.Builder builder = EventStreamClient.builder(SERVER);
        assertThatThrownBy(() -> builder.clientId(""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientId was \"\" but must have 1 to 128 characters");
        assertThatThrownBy(() -> builder.categories("dlq", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a category is empty");
        assertThatThrownBy(() -> builder.reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconnectDelay was (PT2S, PT1S) but must satisfy 1ms <= min <= max");
        assertThatThrownBy(() -> builder.reconnectDelay(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("reconnectDelay was (PT0S, PT1S) but must satisfy 1ms <= min <= max");
        assertThatThrownBy(() -> builder.deadConnectionTimeout(Duration.ofMillis(-5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("deadConnectionTimeout was PT-0.005S but must be at least 1ms");
        assertThatThrownBy(() -> builder.connectTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectTimeout was PT0S but must be at least 1ms");
        assertThatThrownBy(() -> builder.maxMessageSize(100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxMessageSize was 100 but must be >= 1024");
    }

    @Test
    @DisplayName("resumeFrom may only name subscribed categories")
    void resumeFromUnknownCategory() {
        EventStreamClient.Builder builder = EventStreamClient.builder(SERVER)
                .categories("scheduler", "dlq")
                .onEvent(e -> { })
                .resumeFrom(Map.of("webhook", "1764108651123-3"));

        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("resumeFrom names category webhook but the categories are [scheduler, dlq]");
    }

    @Test
    @DisplayName("before start: DISCONNECTED, with the resumeFrom ids; close() without start is CLOSED; no restart")
    void lifecycleWithoutServer() throws Exception {
        EventStreamClient client = EventStreamClient.builder(SERVER)
                .categories("scheduler", "scheduler", "dlq")
                .onEvent(e -> { })
                .resumeFrom(Map.of("dlq", "1764108651123-7"))
                .build();

        assertThat(client.state()).isEqualTo(ConnectionState.DISCONNECTED);
        assertThat(client.lastEventIds()).isEqualTo(Map.of("dlq", "1764108651123-7"));

        client.close();

        assertThat(client.state()).isEqualTo(ConnectionState.CLOSED);
        assertThat(client.awaitSubscribed(Duration.ofMillis(10))).isFalse();
        assertThatThrownBy(client::start)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the client was closed; build a new one");
    }
}
