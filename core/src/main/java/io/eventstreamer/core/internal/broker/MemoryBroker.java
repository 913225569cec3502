package io.eventstreamer.core.internal.broker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.config.CategorySettings;
import io.eventstreamer.core.internal.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The default broker: events stay in this host. Each category's log numbers its events
 * {@code <epoch>-<sequence>} (the epoch is when the host started, so an id from a previous life
 * is recognised), keeps them in a bounded {@link History} and delivers each to the category's
 * reader before {@link CategoryLog#append} returns.
 */
public final class MemoryBroker implements Broker {
    private final long epoch;
    private final IntSupplier clientCount;
    private volatile String nodeId = "";

    /**
     * @param epoch the first part of every id: the host's start time in milliseconds
     * @param clientCount this host's clients, for the cluster view
     */
    public MemoryBroker(long epoch, IntSupplier clientCount) {
        this.epoch = epoch;
        this.clientCount = clientCount;
    }

    @Override
    public String type() {
        return "memory";
    }

    @Override
    public CategoryLog open(String category, CategorySettings settings, LogReader reader) {
        // Before every entry of this life: a client that subscribes before the first event can
        // resume from there and miss nothing (a resume point is never null).
        reader.startAfter(epoch + "-0");
        return new MemoryLog(epoch, settings, reader);
    }

    @Override
    public void start() {
    }

    @Override
    public boolean awaitFirstAttempt(Duration timeout) {
        return true;
    }

    @Override
    public void announce(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public String waitingFor() {
        return null;
    }

    @Override
    public ObjectNode clusterView() {
        ObjectNode view = Json.object();
        view.put("broker", type());
        view.put("available", true);
        ObjectNode self = view.putArray("nodes").addObject();
        self.put("nodeId", nodeId);
        self.put("clients", clientCount.getAsInt());
        self.put("updatedAt", System.currentTimeMillis());
        return view;
    }

    @Override
    public void stop() {
    }

    /**
     * One category. Appending takes this log's lock for numbering, history and delivery, so that
     * the reader sees ids in order; the history has its own lock, taken last, so that a replay
     * (under the reader's lock) never waits for an append (which waits for the reader's lock).
     */
    private static final class MemoryLog implements CategoryLog {
        private final long epoch;
        private final String idPrefix;
        private final LogReader reader;
        private final History history;
        private long lastSequence;

        MemoryLog(long epoch, CategorySettings settings, LogReader reader) {
            this.epoch = epoch;
            this.idPrefix = epoch + "-";
            this.reader = reader;
            this.history = new History(settings.historySize(), settings.historyMaxBytes(),
                    settings.historyMaxAge().toMillis());
        }

        @Override
        public synchronized String append(String eventType, String coalesceKey, byte[] body) {
            long sequence = ++lastSequence;
            long now = System.currentTimeMillis();
            LogEntry entry = new LogEntry(idPrefix + sequence, eventType, coalesceKey, body, now);
            synchronized (history) {
                history.append(entry, sequence);
                history.expire(now);
            }
            reader.deliver(entry);
            return entry.id();
        }

        @Override
        public Replay replay(String afterId, String upToId) {
            if (!StreamIds.isValid(afterId)) {
                return Replay.failed(Replay.Failure.UNKNOWN_ID, null);
            }
            if (StreamIds.first(afterId) != epoch) {
                return Replay.failed(Replay.Failure.EPOCH_CHANGED, null);
            }
            long after = StreamIds.second(afterId);
            long upTo = upToId == null ? 0 : StreamIds.second(upToId);
            if (after > upTo) {
                return Replay.failed(Replay.Failure.UNKNOWN_ID, null);
            }
            if (after == upTo) {
                return Replay.of(List.of());
            }
            synchronized (history) {
                history.expire(System.currentTimeMillis());
                long oldest = history.oldestSequence();
                if (oldest == -1 || oldest > after + 1) {
                    return Replay.failed(Replay.Failure.HISTORY_EXPIRED, upTo - after);
                }
                return Replay.of(history.between(after, upTo));
            }
        }

        @Override
        public long aheadWaitMillis() {
            return 0;
        }

        @Override
        public int historySize() {
            synchronized (history) {
                return history.size();
            }
        }

        @Override
        public long historyBytes() {
            synchronized (history) {
                return history.bytes();
            }
        }
    }
}
