package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.core.it.TestClient.CloseStatus;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class CapacityTest {
    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("at max-clients a new connection gets a capacity error and close 1013; after a disconnect one is accepted")
    void capacity() {
        EventStreamer host = hosts.start("max-clients = 2");
        TestClient first = hosts.client();
        TestClient second = hosts.client();
        first.subscribed("first", "test-alpha");
        second.subscribed("second", "test-alpha");
        assertThat(host.clientCount()).isEqualTo(2);

        TestClient third = hosts.client();
        JsonNode error = third.next();
        CloseStatus status = third.awaitClose();

        assertError(error, "capacity-exceeded");
        assertThat(error.at("/data/error").asText()).isEqualTo("Server capacity exceeded");
        assertThat(status.code()).as("close %s", status).isEqualTo(1013);
        await().atMost(Duration.ofSeconds(10)).until(() -> host.clientCount() == 2);
        assertThat(hosts.status().get("connectedClients").asInt()).isEqualTo(2);
        assertThat(first.isOpen()).isTrue();
        assertThat(second.isOpen()).isTrue();

        first.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> host.clientCount() == 1);

        TestClient fourth = hosts.client();
        fourth.subscribed("fourth", "test-alpha");
        assertThat(fourth.isOpen()).isTrue();
        assertThat(host.clientCount()).isEqualTo(2);
        String id = host.emitter("test-alpha").emit("alpha-happened", Map.of("name", "n", "count", 1));
        assertThat(fourth.nextEvent().get("id").asText()).isEqualTo(id);
        assertThat(second.nextEvent().get("id").asText()).isEqualTo(id);
    }
}
