package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.core.it.TestClient.PingAnswer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The heartbeat pings clients at different moments of the interval, each once per interval. */
class HeartbeatSpreadTest {
    private static final int CLIENTS = 20;

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("with a 1 s heartbeat, 20 clients are pinged at several moments (10 slices), each every second")
    void pingsAreSpread() {
        hosts.start("heartbeat-interval = 1s");
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(hosts.client().answerPings(PingAnswer.JSON_PONG));
        }
        Set<Instant> firstPingTimes = new HashSet<>();
        for (TestClient client : clients) {
            Instant first = pingTime(client.nextIncludingPings());
            Instant second = pingTime(client.nextIncludingPings());
            firstPingTimes.add(first);
            // Each client is pinged once per interval; a late tick of the scheduler catches up.
            assertThat(Duration.between(first, second)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1500));
        }
        // All at once, the first pings would carry one or two timestamps (a tick may fall while the
        // clients connect); spread over ten slices, they carry about ten.
        assertThat(firstPingTimes).as("distinct times of the clients' first pings").hasSizeGreaterThanOrEqualTo(5);
    }

    private static Instant pingTime(JsonNode message) {
        assertThat(message.path("type").asText()).as("expected a ping but got %s", message).isEqualTo("ping");
        return Instant.parse(message.get("timestamp").asText());
    }
}
