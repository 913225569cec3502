package io.eventstreamer.distribution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes {@code webhook-delivered} events numbered 0, 1, 2... (in {@code data.attempt}) at a
 * steady rate, in small batches, one request at a time, and records which were acknowledged (202)
 * with their ids. It never retries: an event whose request was refused or failed is not
 * acknowledged, and may or may not have been published (a connection lost after the request was
 * sent). Read {@link #acknowledged}, {@link #id} and {@link #sentAtNanos} after {@link #close}.
 */
final class PacedPublisher implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI events;
    private final String webhookId;
    private final int eventsPerPost;
    private final long nanosPerPost;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger acknowledgedCount = new AtomicInteger();
    private final BitSet acknowledged = new BitSet();
    private final List<String> ids = new ArrayList<>();
    private final List<Long> sentAt = new ArrayList<>();
    private final List<String> outcomes = new ArrayList<>();
    private String lastOutcome;
    private final Thread thread;
    private final java.util.Map<String, Integer> refusals = new java.util.TreeMap<>();
    private int failedRequests;

    PacedPublisher(URI events, String webhookId, int eventsPerSecond, int eventsPerPost) {
        this.events = events;
        this.webhookId = webhookId;
        this.eventsPerPost = eventsPerPost;
        this.nanosPerPost = TimeUnit.SECONDS.toNanos(1) * eventsPerPost / eventsPerSecond;
        this.thread = new Thread(this::run, "paced-publisher");
    }

    void start() {
        thread.start();
    }

    /** Events acknowledged so far; safe to read while it runs. */
    int acknowledgedCount() {
        return acknowledgedCount.get();
    }

    private void run() {
        long next = System.nanoTime();
        int sequence = 0;
        while (running.get()) {
            long sent = System.nanoTime();
            List<String> answer = post(sequence);
            for (int i = 0; i < eventsPerPost; i++) {
                sentAt.add(sent);
                outcomes.add(lastOutcome);
                ids.add(answer == null ? null : answer.get(i));
                if (answer != null) {
                    acknowledged.set(sequence + i);
                }
            }
            if (answer != null) {
                acknowledgedCount.addAndGet(eventsPerPost);
            }
            sequence += eventsPerPost;
            // A request that hung (a node going away) is not made up for by a burst afterwards.
            next = Math.max(next + nanosPerPost, System.nanoTime() - nanosPerPost);
            LockSupport.parkNanos(next - System.nanoTime()); // the pace, not a synchronization
        }
    }

    /** The ids of the batch, or null when it was not acknowledged. */
    private List<String> post(int first) {
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < eventsPerPost; i++) {
            int sequence = first + i;
            body.append(i == 0 ? "" : ",").append("{\"category\":\"webhook\",\"event\":\"webhook-delivered\",\"data\":{")
                    .append("\"webhookId\":\"").append(webhookId).append("\",\"deliveryId\":\"d").append(sequence)
                    .append("\",\"statusCode\":200,\"attempt\":").append(sequence).append(",\"durationMs\":1}}");
        }
        body.append(']');
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(events)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5))
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            failedRequests++;
            lastOutcome = "no answer";
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return null;
        }
        if (response.statusCode() != 202) {
            String code;
            try {
                code = JSON.readTree(response.body()).path("code").asText();
            } catch (IOException e) {
                code = "?";
            }
            lastOutcome = response.statusCode() + " " + code;
            refusals.merge(lastOutcome, 1, Integer::sum);
            return null;
        }
        lastOutcome = "202";
        try {
            List<String> batch = new ArrayList<>();
            for (JsonNode id : JSON.readTree(response.body()).path("ids")) {
                batch.add(id.asText());
            }
            if (batch.size() != eventsPerPost) {
                throw new IllegalStateException("202 with " + batch.size() + " ids: " + response.body());
            }
            return batch;
        } catch (IOException e) {
            throw new IllegalStateException("202 with a body that is not JSON: " + response.body(), e);
        }
    }

    /** Events attempted (acknowledged or not). */
    int published() {
        return ids.size();
    }

    /** The numbers of the events answered 202. */
    BitSet acknowledged() {
        return (BitSet) acknowledged.clone();
    }

    /** The id of an acknowledged event. */
    String id(int sequence) {
        return ids.get(sequence);
    }

    /** How the request that carried the event was answered: "202", "503 unavailable", "no answer"... */
    String outcome(int sequence) {
        return outcomes.get(sequence);
    }

    /** When the request that carried the event was sent ({@link System#nanoTime}). */
    long sentAtNanos(int sequence) {
        return sentAt.get(sequence);
    }

    /** Requests answered with something other than 202, by status and code (503 while a node drains...). */
    java.util.Map<String, Integer> refusals() {
        return refusals;
    }

    /** Requests that got no answer (connection refused or lost). */
    int failedRequests() {
        return failedRequests;
    }

    /** Stops after the request in flight and waits for it. */
    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(TimeUnit.SECONDS.toMillis(15));
    }
}
