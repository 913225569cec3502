package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What was published in one category, in publish order, and what one client (over one or several
 * connections) received of it: the ground truth against which the loss audit checks every signal.
 *
 * <p>Events must arrive in publish order, each at most once. The client's {@code gap} messages and
 * {@code events-dropped} notices are kept with the position of the last event received before
 * them, so that a test can check that they account exactly for what is missing.
 */
public final class DeliveryLog {
    private final String category;
    private final List<String> published = new ArrayList<>();
    private final Map<String, Integer> positions = new HashMap<>();
    private final List<Integer> received = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private long reportedDropped;

    public DeliveryLog(String category) {
        this.category = category;
    }

    /** A gap message, and the position of the last event the client had received before it (-1: none). */
    public record Gap(JsonNode data, int after) {
        public long missed() {
            return data.path("missed").asLong();
        }
    }

    /** Records the id of the next event published in the category. */
    public String published(String id) {
        assertThat(positions.put(id, published.size())).as("id %s published twice", id).isNull();
        published.add(id);
        return id;
    }

    public int publishedCount() {
        return published.size();
    }

    /** The id of the event published at {@code position} (0 = the first). */
    public String id(int position) {
        return published.get(position);
    }

    /** Where an id was published; fails for an id never published. */
    public int position(String id) {
        Integer position = positions.get(id);
        assertThat(position).as("id %s was never published in %s", id, category).isNotNull();
        return position;
    }

    /**
     * Takes a message the client received: an event of the category (which must come after every
     * event received so far), a gap of the category, or an events-dropped notice. Returns the
     * message's type; other messages are left to the caller.
     */
    public String take(JsonNode message) {
        String type = message.path("type").asText();
        switch (type) {
            case "event":
                assertThat(message.path("category").asText()).isEqualTo(category);
                int position = position(message.path("id").asText());
                assertThat(position).as("event %s after position %d: publish order, no duplicate", message.path("id"),
                        lastReceived()).isGreaterThan(lastReceived());
                received.add(position);
                break;
            case "gap":
                assertThat(message.at("/data/category").asText()).isEqualTo(category);
                gaps.add(new Gap(message.get("data"), lastReceived()));
                break;
            case "error":
                if ("events-dropped".equals(message.at("/data/code").asText())) {
                    reportedDropped += message.at("/data/dropped").asLong();
                }
                break;
            default:
                break;
        }
        return type;
    }

    /** The position of the last event received, -1 when none. */
    public int lastReceived() {
        return received.isEmpty() ? -1 : received.get(received.size() - 1);
    }

    /** The id of the last event received, or null. */
    public String lastReceivedId() {
        return received.isEmpty() ? null : published.get(lastReceived());
    }

    public int receivedCount() {
        return received.size();
    }

    public List<Gap> gaps() {
        return gaps;
    }

    /** Positions published and not received. */
    public TreeSet<Integer> missed() {
        TreeSet<Integer> missed = new TreeSet<>();
        for (int i = 0; i < published.size(); i++) {
            missed.add(i);
        }
        missed.removeAll(received);
        return missed;
    }

    /** Asserts that the client received every event published, in order. */
    public void assertReceivedAll() {
        assertThat(missed()).as("events of %s not received", category).isEmpty();
    }

    /** Asserts that the client received a contiguous run of events from the first: nothing skipped silently. */
    public void assertPrefix() {
        for (int i = 0; i < received.size(); i++) {
            assertThat(received.get(i)).as("event %d received", i).isEqualTo(i);
        }
    }

    /**
     * Asserts that the overflow gaps and events-dropped notices account exactly for the events not
     * received: their missed counts add up to them, each gap's ids are among them and come after
     * what the client had received when the gap arrived, and {@code resumeFrom} is the id before
     * the first one missed.
     */
    public void assertOverflowAccountedFor() {
        TreeSet<Integer> missed = missed();
        long gapMissed = 0;
        for (Gap gap : gaps) {
            assertThat(gap.data().path("reason").asText()).isEqualTo("overflow");
            int first = position(gap.data().path("firstMissed").asText());
            int last = position(gap.data().path("lastMissed").asText());
            assertThat(missed).as("gap %s: its ids are missing", gap.data()).contains(first, last);
            assertThat(first).as("gap %s after position %d", gap.data(), gap.after()).isGreaterThan(gap.after());
            assertThat(last - first + 1L).as("gap %s spans its count", gap.data()).isGreaterThanOrEqualTo(gap.missed());
            JsonNode resumeFrom = gap.data().path("resumeFrom");
            if (first == 0) {
                // Before the category's first event: <epoch>-0 (memory broker) or 0-0 (redis).
                assertThat(resumeFrom.asText()).as("gap %s", gap.data()).matches("[0-9]+-0");
            } else {
                assertThat(resumeFrom.asText()).as("gap %s", gap.data()).isEqualTo(id(first - 1));
            }
            gapMissed += gap.missed();
        }
        assertThat(gapMissed).as("missed in gaps = events not received").isEqualTo(missed.size());
        assertThat(reportedDropped).as("events-dropped total = events not received").isEqualTo(missed.size());
        assertThat(received.size() + gapMissed).as("received + missed = published").isEqualTo(published.size());
    }

    /**
     * For drop-oldest, where every drop is the oldest queued event: each run of events not received
     * is announced by the gaps that arrive between its two neighbours, which name its first and last
     * id and count it exactly; no gap arrives where nothing is missing.
     */
    public void assertContiguousGaps() {
        int gapIndex = 0;
        int previous = -1;
        for (int next : received) {
            long announced = 0;
            int firstAnnounced = -1;
            int lastAnnounced = -1;
            while (gapIndex < gaps.size() && gaps.get(gapIndex).after() == previous) {
                Gap gap = gaps.get(gapIndex++);
                if (firstAnnounced < 0) {
                    firstAnnounced = position(gap.data().path("firstMissed").asText());
                }
                lastAnnounced = position(gap.data().path("lastMissed").asText());
                announced += gap.missed();
            }
            assertThat(announced).as("missed between positions %d and %d", previous, next).isEqualTo(next - previous - 1L);
            if (announced > 0) {
                assertThat(firstAnnounced).isEqualTo(previous + 1);
                assertThat(lastAnnounced).isEqualTo(next - 1);
            }
            previous = next;
        }
        assertThat(gapIndex).as("gaps after the last event received").isEqualTo(gaps.size());
    }
}
