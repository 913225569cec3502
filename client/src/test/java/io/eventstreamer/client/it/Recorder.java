package io.eventstreamer.client.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.eventstreamer.client.ConnectionState;
import io.eventstreamer.client.EventStreamClient;
import io.eventstreamer.client.Gap;
import io.eventstreamer.client.StreamEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** Records everything a client's callbacks receive, and on which threads, for assertions. */
final class Recorder {
    private final List<StreamEvent> events = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<ConnectionState> states = new ArrayList<>();
    private final List<JsonNode> errors = new ArrayList<>();
    private final Set<String> threads = ConcurrentHashMap.newKeySet();
    private volatile Consumer<StreamEvent> beforeRecording = event -> { };

    /** Sets the builder's four callbacks to record into this. */
    EventStreamClient.Builder attach(EventStreamClient.Builder builder) {
        return builder
                .onEvent(event -> {
                    threads.add(Thread.currentThread().getName());
                    beforeRecording.accept(event);
                    add(events, event);
                })
                .onGap(gap -> {
                    threads.add(Thread.currentThread().getName());
                    add(gaps, gap);
                })
                .onStateChange(state -> {
                    threads.add(Thread.currentThread().getName());
                    add(states, state);
                })
                .onError(error -> {
                    threads.add(Thread.currentThread().getName());
                    add(errors, error);
                });
    }

    /** Runs {@code action} in onEvent before the event is recorded (it may throw). */
    void beforeRecording(Consumer<StreamEvent> action) {
        this.beforeRecording = action;
    }

    List<StreamEvent> events() {
        return copy(events);
    }

    int eventCount() {
        synchronized (events) {
            return events.size();
        }
    }

    /** The ids received in {@code category}, in order of delivery. */
    List<String> ids(String category) {
        return events().stream().filter(e -> e.category().equals(category)).map(StreamEvent::id).toList();
    }

    List<Gap> gaps() {
        return copy(gaps);
    }

    List<ConnectionState> states() {
        return copy(states);
    }

    /** How many times the client became CONNECTED (subscribed). */
    long subscriptions() {
        return states().stream().filter(s -> s == ConnectionState.CONNECTED).count();
    }

    List<JsonNode> errors() {
        return copy(errors);
    }

    Set<String> threads() {
        return Set.copyOf(threads);
    }

    private static <T> void add(List<T> list, T item) {
        synchronized (list) {
            list.add(item);
        }
    }

    private static <T> List<T> copy(List<T> list) {
        synchronized (list) {
            return List.copyOf(list);
        }
    }
}
