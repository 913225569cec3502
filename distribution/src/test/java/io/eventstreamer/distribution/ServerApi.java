package io.eventstreamer.distribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.websocket.client.WebSocketClient;

/** A running server seen from a client on loopback: GET /api/sources, POST /api/events, WebSocket subscribers. */
final class ServerApi {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ServerProcess server;
    private final URI base;

    private ServerApi(ServerProcess server, int port) {
        this.server = server;
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    /** Waits until the server listens, and talks to it on loopback. */
    static ServerApi awaitStarted(ServerProcess server, Duration timeout) {
        return new ServerApi(server, server.awaitListening(timeout));
    }

    /**
     * Connects a WebSocket client, subscribes it to one category and waits for the
     * acknowledgement.
     */
    RecordingEndpoint subscribe(WebSocketClient client, String category, String clientId) throws IOException {
        RecordingEndpoint endpoint = new RecordingEndpoint();
        try {
            client.connect(endpoint, webSocketUri()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new AssertionError(String.format("connecting to %s failed; server output:%n%s",
                    webSocketUri(), server.output()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        ObjectNode message = JSON.createObjectNode().put("type", "subscribe");
        message.putArray("categories").add(category);
        message.put("clientId", clientId);
        endpoint.send(message.toString());
        endpoint.awaitMessage("subscription-ack for " + category,
                m -> "subscription-ack".equals(m.path("type").asText()), TIMEOUT);
        return endpoint;
    }

    private URI webSocketUri() {
        return URI.create("ws://127.0.0.1:" + base.getPort() + "/ws");
    }

    /** GET /api/sources, which must answer 200 with a "sources" array. */
    JsonNode sources() throws IOException, InterruptedException {
        return sourcesEndpoint("sources");
    }

    /** The "plugins" array of GET /api/sources: each folder of plugins/ and whether it loaded. */
    JsonNode plugins() throws IOException, InterruptedException {
        return sourcesEndpoint("plugins");
    }

    private JsonNode sourcesEndpoint(String array) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(base.resolve("/api/sources")).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET /api/sources: %s; server output:%n%s", response.body(), server.output())
                .isEqualTo(200);
        JsonNode node = JSON.readTree(response.body()).path(array);
        assertThat(node.isArray()).as("GET /api/sources has a %s array: %s", array, response.body()).isTrue();
        return node;
    }

    /** The entry of GET /api/sources for a category, if listed. */
    Optional<JsonNode> source(String category) throws IOException, InterruptedException {
        for (JsonNode source : sources()) {
            if (category.equals(source.path("category").asText())) {
                return Optional.of(source);
            }
        }
        return Optional.empty();
    }

    /** POST /api/events with a JSON body. */
    HttpResponse<String> publish(JsonNode body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(base.resolve("/api/events"))
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Publishes one event with POST /api/events, asserts 202 and returns the id the server
     * assigned to it.
     */
    String publishOne(String category, String event, JsonNode data) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("category", category).put("event", event);
        body.set("data", data);
        HttpResponse<String> response = publish(body);
        assertThat(response.statusCode()).as("POST /api/events %s answered %s; server output:%n%s",
                body, response.body(), server.output()).isEqualTo(202);
        JsonNode ids = JSON.readTree(response.body()).path("ids");
        assertThat(ids.size()).as("ids in %s", response.body()).isEqualTo(1);
        return ids.get(0).asText();
    }

    /** The description of one event type in a source's entry of GET /api/sources. */
    static JsonNode eventType(JsonNode source, String name) {
        for (JsonNode type : source.path("eventTypes")) {
            if (name.equals(type.path("name").asText())) {
                return type;
            }
        }
        throw new AssertionError(String.format("source %s has no event type %s: %s",
                source.path("category").asText(), name, source));
    }

    /**
     * A payload with every required field of an event type, built from its description in
     * GET /api/sources the way a tool would: a value of each field's JSON type.
     */
    static ObjectNode validPayload(JsonNode eventType) {
        ObjectNode payload = JSON.createObjectNode();
        for (JsonNode field : eventType.path("fields")) {
            if (field.path("required").asBoolean()) {
                String name = field.path("name").asText();
                switch (field.path("type").asText()) {
                    case "string":
                        payload.put(name, "date-time".equals(field.path("format").asText())
                                ? "2026-11-25T22:10:51.123Z" : "distribution-test-" + name);
                        break;
                    case "integer":
                        payload.put(name, 3);
                        break;
                    case "number":
                        payload.put(name, 2.5);
                        break;
                    case "boolean":
                        payload.put(name, true);
                        break;
                    case "object":
                        payload.putObject(name).put("note", "from the distribution test");
                        break;
                    case "array":
                        ArrayNode array = payload.putArray(name);
                        array.add("a");
                        break;
                    default:
                        throw new AssertionError("unknown JSON type in " + field);
                }
            }
        }
        return payload;
    }
}
