package io.eventstreamer.core.internal.broker;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.eventstreamer.core.internal.config.BrokerSettings;
import io.eventstreamer.core.internal.config.CategorySettings;
import io.eventstreamer.core.internal.json.Json;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shares events between hosts through Redis Streams, one stream {@code <prefix><category>} per
 * category. Publishing on any host is an XADD (trimmed to about the category's history size);
 * each host runs one reader thread that XREADs every stream after the last id it delivered and
 * hands the entries to its channels, which fan them out to local clients. Resumes replay from the
 * stream with XRANGE.
 *
 * <p>The host is {@link #ready} once the first connection is made and each category's read
 * position is fixed (after the newest entry at that moment): every event appended later reaches
 * its subscribers. Until then it refuses upgrades and publishes (see {@code Host.start}).
 *
 * <p>Two connections per host: one for the blocking reads, one shared by publishing, resumes and
 * the cluster view. When Redis is lost both are dropped, publishing fails fast (503), clients are
 * told with a {@code stream-interrupted} message, and the reader reconnects every retry interval
 * and continues after the last id it delivered, so clients get what was published meanwhile.
 */
public final class RedisBroker implements Broker {
    private static final Logger LOG = LoggerFactory.getLogger(RedisBroker.class);
    private static final String TYPE = "e";
    /** Entries one XREAD returns per stream at most. */
    private static final int READ_COUNT = 1000;
    private static final String KEY = "k";
    private static final String BODY = "b";
    /** The entry's number in its category, from a counter beside the stream: a jump means entries left unread. */
    private static final String NUMBER = "n";
    /**
     * XADD with the category's next number, in one step: KEYS = the stream and its counter; ARGV =
     * the MAXLEN bound, then the fields. Returns the entry's id.
     */
    private static final String APPEND = "local n = redis.call('INCR', KEYS[2]) "
            + "local args = {KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'n', n} "
            + "for i = 2, #ARGV do args[#args + 1] = ARGV[i] end "
            + "return redis.call('XADD', unpack(args))";

    private final BrokerSettings settings;
    private final Map<String, LogReader> readers = new LinkedHashMap<>();
    private final Map<String, Integer> historySizes = new HashMap<>();
    private final Map<String, Duration> historyMaxAges = new LinkedHashMap<>();
    private final Clients clients;
    private final RedisClient client;
    private final Map<String, String> offsets = new HashMap<>();
    // Categories whose read position must be checked against the stream's head before reading on:
    // after an outage, and after a read that came back full (the reader is behind).
    private final Set<String> toVerify = new HashSet<>();
    // Per category, how many entries were ever added to its stream up to its read position
    // (Redis 7's entries-added); absent when not known (Redis 6).
    private final Map<String, Long> addedThrough = new HashMap<>();
    // Per category, the number of the last entry read (see NUMBER); absent when not known.
    private final Map<String, Long> numbers = new HashMap<>();
    private final Object lifecycle = new Object();
    private final CountDownLatch firstAttempt = new CountDownLatch(1);
    private volatile StatefulRedisConnection<String, String> commands;
    private volatile StatefulRedisConnection<String, String> reading;
    private volatile boolean available;
    private volatile boolean stopping;
    /** Set once every category's read position is fixed; never cleared. */
    private volatile boolean ready;
    private volatile boolean failedToConnect;
    private volatile String nodeId;
    private boolean everConnected;
    private boolean outageAnnounced;
    private Thread readerThread;

    public RedisBroker(BrokerSettings settings, Clients clients) {
        this.settings = settings;
        this.clients = clients;
        this.client = RedisClient.create(settings.redisUri());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(false)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(settings.commandTimeout()).build())
                .build());
    }

    @Override
    public CategoryLog open(String category, CategorySettings categorySettings, LogReader reader) {
        synchronized (lifecycle) {
            if (readerThread != null) {
                throw new IllegalStateException("categories are opened before the broker starts");
            }
            readers.put(category, reader);
            historySizes.put(category, categorySettings.historySize());
            historyMaxAges.put(category, categorySettings.historyMaxAge());
        }
        return new StreamLog(category);
    }

    /** A category's stream: XADD to append, XINFO and XRANGE to replay; the reader thread delivers. */
    private final class StreamLog implements CategoryLog {
        private final String category;

        StreamLog(String category) {
            this.category = category;
        }

        @Override
        public String append(String eventType, String coalesceKey, byte[] body) {
            return RedisBroker.this.append(category, eventType, coalesceKey, body);
        }

        @Override
        public Replay replay(String afterId, String upToId) {
            if (!StreamIds.isValid(afterId) || upToId == null || StreamIds.compare(afterId, upToId) > 0) {
                return Replay.failed(Replay.Failure.UNKNOWN_ID, null);
            }
            if (afterId.equals(upToId)) {
                return Replay.of(List.of());
            }
            try {
                if (!holdsEverythingAfter(category, afterId)) {
                    return Replay.failed(Replay.Failure.HISTORY_EXPIRED, null);
                }
                return Replay.of(range(category, afterId, upToId));
            } catch (BrokerUnavailableException e) {
                return Replay.failed(Replay.Failure.BROKER_UNAVAILABLE, null);
            }
        }

        @Override
        public long aheadWaitMillis() {
            return settings.commandTimeout().toMillis();
        }

        @Override
        public int historySize() {
            return 0;
        }

        @Override
        public long historyBytes() {
            return 0;
        }
    }

    @Override
    public String type() {
        return "redis";
    }

    @Override
    public void start() {
        synchronized (lifecycle) {
            readerThread = new Thread(this::readLoop, "event-streamer-redis-reader");
            readerThread.setDaemon(true);
            readerThread.start();
        }
    }

    @Override
    public boolean awaitFirstAttempt(Duration timeout) throws InterruptedException {
        firstAttempt.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return ready;
    }

    @Override
    public void announce(String nodeId) {
        this.nodeId = nodeId;
        if (available) {
            try {
                refreshNode();
            } catch (RuntimeException e) {
                LOG.debug("could not add this node to the cluster view yet: {}", e.toString());
            }
        }
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public String waitingFor() {
        if (ready) {
            return null;
        }
        // No address or exception text: these answers go to anyone who can reach the port (the log has them).
        return failedToConnect ? "Redis is unreachable, retrying" : "connecting to Redis";
    }

    private String key(String category) {
        return settings.streamPrefix() + category;
    }

    private String numberKey(String category) {
        return settings.streamPrefix() + "seq:" + category;
    }

    private String nodeKey(String node) {
        return settings.streamPrefix() + "nodes:" + node;
    }

    private RedisCommands<String, String> commands() {
        StatefulRedisConnection<String, String> connection = commands;
        if (connection == null || !available) {
            throw unavailable(null);
        }
        return connection.sync();
    }

    private BrokerUnavailableException unavailable(Throwable cause) {
        String why = cause == null ? "not connected" : cause.toString();
        return new BrokerUnavailableException("Redis at " + settings.redisAddress() + " is unavailable (" + why + ")",
                cause);
    }

    private String append(String category, String eventType, String coalesceKey, byte[] body) {
        RedisCommands<String, String> redis = commands();
        List<String> args = new ArrayList<>(7);
        // MAXLEN ~ keeps at least the history size (whole macro nodes are trimmed), never fewer.
        args.add(String.valueOf(Math.max(1, historySizes.getOrDefault(category, 1))));
        args.add(TYPE);
        args.add(eventType);
        if (coalesceKey != null) {
            args.add(KEY);
            args.add(coalesceKey);
        }
        args.add(BODY);
        args.add(new String(body, UTF_8));
        try {
            return redis.eval(APPEND, ScriptOutputType.VALUE, new String[] {key(category), numberKey(category)},
                    args.toArray(new String[0]));
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private List<LogEntry> range(String category, String afterId, String upToId) {
        RedisCommands<String, String> redis = commands();
        try {
            List<StreamMessage<String, String>> messages = redis.xrange(key(category),
                    Range.create(StreamIds.next(afterId), upToId));
            List<LogEntry> entries = new ArrayList<>(messages.size());
            messages.forEach(m -> entries.add(entry(m)));
            return entries;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
    }

    private boolean holdsEverythingAfter(String category, String id) {
        Map<String, Object> fields = streamInfo(commands(), category);
        return fields != null && holdsEverythingAfter(fields, id);
    }

    /** XINFO STREAM's fields, or null when there is no such stream. */
    private Map<String, Object> streamInfo(RedisCommands<String, String> redis, String category) {
        List<Object> info;
        try {
            info = redis.xinfoStream(key(category));
        } catch (RedisCommandExecutionException e) {
            return null;
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        Map<String, Object> fields = new HashMap<>();
        for (int i = 0; i + 1 < info.size(); i += 2) {
            fields.put(String.valueOf(info.get(i)), info.get(i + 1));
        }
        return fields;
    }

    private static boolean holdsEverythingAfter(Map<String, Object> fields, String id) {
        if (StreamIds.BEFORE_EVERY_ENTRY.equals(id)) {
            // A client that subscribed while the stream was empty: it has missed nothing as long as
            // the stream holds every entry ever added to it (Redis 7 counts them; Redis 6 doesn't,
            // and the client is told of a gap).
            Object added = fields.get("entries-added");
            return added instanceof Long && added.equals(fields.get("length"));
        }
        // Trimming removes entries from the head only: an id at or after the first entry held has
        // everything after it, unless entries were deleted one by one (XDEL) after it (Redis 7 reports
        // the newest deleted id).
        Object first = fields.get("first-entry");
        if (!(first instanceof List) || ((List<?>) first).isEmpty()) {
            return false;
        }
        String firstId = String.valueOf(((List<?>) first).get(0));
        if (!StreamIds.isValid(firstId) || StreamIds.compare(id, firstId) < 0) {
            return false;
        }
        Object maxDeleted = fields.get("max-deleted-entry-id");
        return !(maxDeleted instanceof String) || !StreamIds.isValid((String) maxDeleted)
                || StreamIds.compare(id, (String) maxDeleted) >= 0;
    }

    private static LogEntry entry(StreamMessage<String, String> message) {
        Map<String, String> body = message.getBody();
        String json = body.getOrDefault(BODY, "{");
        return new LogEntry(message.getId(), body.get(TYPE), body.get(KEY), json.getBytes(UTF_8),
                System.currentTimeMillis());
    }

    @Override
    public ObjectNode clusterView() {
        RedisCommands<String, String> redis = commands();
        ObjectNode view = Json.object();
        view.put("broker", type());
        view.put("available", true);
        ArrayNode nodes = view.putArray("nodes");
        try {
            List<String> keys = new ArrayList<>();
            ScanArgs args = ScanArgs.Builder.matches(nodeKey("*")).limit(500);
            KeyScanCursor<String> cursor = redis.scan(args);
            keys.addAll(cursor.getKeys());
            while (!cursor.isFinished()) {
                cursor = redis.scan(cursor, args);
                keys.addAll(cursor.getKeys());
            }
            keys.sort(null);
            if (!keys.isEmpty()) {
                for (KeyValue<String, String> kv : redis.mget(keys.toArray(new String[0]))) {
                    if (kv.hasValue()) {
                        nodes.add(parse(kv.getValue()));
                    }
                }
            }
        } catch (RuntimeException e) {
            throw unavailable(e);
        }
        return view;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            return Json.object().put("invalid", json);
        }
    }

    private void refreshNode() {
        String nodeId = this.nodeId;
        if (nodeId == null) {
            return; // not announced yet: its port is not known
        }
        ObjectNode node = Json.object();
        node.put("nodeId", nodeId);
        node.put("clients", clients.count());
        node.put("updatedAt", System.currentTimeMillis());
        long ttl = settings.nodeRefreshInterval().multipliedBy(3).toMillis();
        commands().set(nodeKey(nodeId), node.toString(), SetArgs.Builder.px(ttl));
    }

    /**
     * Applies history.max-age: entry ids are "<milliseconds>-<n>", so entries older than the age
     * are those below the id of that instant (XTRIM MINID, exact: it runs once per refresh interval).
     */
    private void trimByAge() {
        long now = System.currentTimeMillis();
        historyMaxAges.forEach((category, maxAge) -> commands().xtrim(key(category),
                new XTrimArgs().minId((now - maxAge.toMillis()) + "-0")));
    }

    /**
     * Tells the reader of entries trimmed (MAXLEN, max-age) before this host read them: the entry's
     * number jumps past the last one read. Exact, on any Redis version; entries written without a
     * number (before numbering existed) are not checked.
     */
    private void unread(String category, StreamMessage<String, String> message, LogReader reader) {
        String field = message.getBody().get(NUMBER);
        if (field == null) {
            return;
        }
        long number;
        try {
            number = Long.parseLong(field);
        } catch (NumberFormatException e) {
            return;
        }
        Long last = numbers.get(category);
        if (last != null && number > last + 1) {
            reader.trimmedBeforeRead(number - last - 1);
        }
        numbers.put(category, last == null ? number : Math.max(last, number));
    }

    /** The number field of an entry as XINFO lists it ({@code [id, [field, value, ...]]}), or null. */
    private static Long number(List<?> entry) {
        if (entry.size() < 2 || !(entry.get(1) instanceof List)) {
            return null;
        }
        List<?> fields = (List<?>) entry.get(1);
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (NUMBER.equals(String.valueOf(fields.get(i)))) {
                try {
                    return Long.valueOf(String.valueOf(fields.get(i + 1)));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private void readLoop() {
        long blockMillis = Math.min(1000, settings.nodeRefreshInterval().toMillis());
        long nextRefresh = 0;
        while (!stopping) {
            try {
                if (reading == null) {
                    connect();
                }
                read(blockMillis);
                if (System.nanoTime() - nextRefresh >= 0) {
                    refreshNode();
                    trimByAge();
                    nextRefresh = System.nanoTime() + settings.nodeRefreshInterval().toNanos();
                }
            } catch (RuntimeException e) {
                if (stopping) {
                    break;
                }
                lost(e);
                firstAttempt.countDown();
                nextRefresh = 0;
                try {
                    Thread.sleep(settings.retryInterval().toMillis());
                } catch (InterruptedException interrupted) {
                    break;
                }
            }
        }
    }

    private void connect() {
        StatefulRedisConnection<String, String> read = client.connect();
        StatefulRedisConnection<String, String> write;
        try {
            write = client.connect();
        } catch (RuntimeException e) {
            read.closeAsync();
            throw e;
        }
        write.setTimeout(settings.commandTimeout());
        read.setTimeout(settings.commandTimeout().plusSeconds(1));
        synchronized (lifecycle) {
            reading = read;
            commands = write;
        }
        // Where to start: after what this host delivered, else after the newest entry of each stream
        // (before every entry when it is empty), which is also the resume point subscribers get.
        // XINFO gives the newest entry and how many were ever added (Redis 7) in one command, so
        // that entries trimmed before this host reads them can be counted (verifyPositions).
        for (String category : readers.keySet()) {
            if (!offsets.containsKey(category)) {
                Map<String, Object> info = streamInfo(write.sync(), category);
                Object last = info == null ? null : info.get("last-entry");
                String id = last instanceof List && !((List<?>) last).isEmpty()
                        ? String.valueOf(((List<?>) last).get(0)) : StreamIds.BEFORE_EVERY_ENTRY;
                boolean empty = !(last instanceof List) || ((List<?>) last).isEmpty();
                Long number = empty ? null : number((List<?>) last);
                if (empty) {
                    // Nothing held: the next entry's number is the counter's next value.
                    String counter = write.sync().get(numberKey(category));
                    number = counter == null ? 0L : Long.valueOf(counter);
                }
                if (number != null) {
                    numbers.put(category, number);
                }
                Object added = info == null ? Long.valueOf(0) : info.get("entries-added");
                if (added instanceof Long) {
                    addedThrough.put(category, (Long) added);
                }
                offsets.put(category, id);
                readers.get(category).startAfter(id);
            }
        }
        available = true;
        ready = true;
        firstAttempt.countDown();
        if (everConnected) {
            LOG.info("Redis at {} is back: publishing again, continuing each category after the last id delivered",
                    settings.redisAddress());
        } else {
            LOG.info("connected to Redis at {} (streams {}<category>), each category read after its newest entry",
                    settings.redisAddress(), settings.streamPrefix());
        }
        if (outageAnnounced) {
            clients.streamRestored();
            outageAnnounced = false;
        }
        if (everConnected) {
            toVerify.addAll(offsets.keySet());
        }
        everConnected = true;
    }

    /**
     * Entries trimmed (MAXLEN, max-age) before this host read them would be skipped by XREAD
     * without a trace: when the stream no longer holds everything after a category's position,
     * its subscribers are told of a gap.
     */
    private void verifyPositions() {
        for (Iterator<String> it = toVerify.iterator(); it.hasNext();) {
            String category = it.next();
            String position = offsets.get(category);
            Map<String, Object> info = streamInfo(commands(), category);
            if (position != null && info != null && !holdsEverythingAfter(info, position)) {
                // Trimming removes the oldest entries: those added before the first one held are
                // gone, and the ones among them after our position were never read.
                Long through = addedThrough.get(category);
                Object added = info.get("entries-added");
                Object length = info.get("length");
                Long missed = null;
                if (through != null && added instanceof Long && length instanceof Long) {
                    long gone = (Long) added - (Long) length;
                    missed = Math.max(0, gone - through);
                    addedThrough.put(category, Math.max(through, gone));
                } else {
                    addedThrough.remove(category);
                }
                readers.get(category).trimmedBeforeRead(missed);
                numbers.remove(category); // counted here: the next entry's number must not count them again
            }
            it.remove();
        }
    }

    @SuppressWarnings("unchecked")
    private void read(long blockMillis) {
        if (!toVerify.isEmpty()) {
            verifyPositions();
        }
        XReadArgs.StreamOffset<String>[] from = new XReadArgs.StreamOffset[offsets.size()];
        int i = 0;
        for (Map.Entry<String, String> offset : offsets.entrySet()) {
            from[i++] = XReadArgs.StreamOffset.from(key(offset.getKey()), offset.getValue());
        }
        if (from.length == 0) {
            sleepQuietly(blockMillis);
            return;
        }
        List<StreamMessage<String, String>> messages = reading.sync().xread(
                XReadArgs.Builder.block(blockMillis).count(READ_COUNT), from);
        if (messages == null) {
            return;
        }
        int prefix = settings.streamPrefix().length();
        Map<String, Integer> read = new HashMap<>();
        for (StreamMessage<String, String> message : messages) {
            String category = message.getStream().substring(prefix);
            LogReader reader = readers.get(category);
            if (reader != null) {
                unread(category, message, reader);
                reader.deliver(entry(message));
                offsets.put(category, message.getId());
                addedThrough.computeIfPresent(category, (c, n) -> n + 1);
                read.merge(category, 1, Integer::sum);
            }
        }
        read.forEach((category, count) -> {
            if (count >= READ_COUNT) {
                toVerify.add(category); // behind: trimming may overtake the reader
            }
        });
    }

    private void lost(RuntimeException e) {
        failedToConnect = !ready;
        boolean wasAvailable = available;
        available = false;
        closeConnections();
        if (wasAvailable) {
            LOG.warn("lost Redis at {} ({}): publishing answers 503 (broker-unavailable), clients are told the stream"
                    + " is interrupted; reconnecting every {}", settings.redisAddress(), e.toString(),
                    settings.retryInterval());
            if (!outageAnnounced) {
                clients.streamInterrupted();
                outageAnnounced = true;
            }
        } else if (!everConnected && !outageAnnounced) {
            LOG.warn("Redis at {} is unreachable ({}); retrying every {}; until connected, WebSocket upgrades, publishes"
                    + " and /health/ready answer 503 (starting)", settings.redisAddress(), e.toString(),
                    settings.retryInterval());
            outageAnnounced = true;
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("Redis at {} still unreachable: {}", settings.redisAddress(), e.toString());
        }
    }

    private void closeConnections() {
        synchronized (lifecycle) {
            StatefulRedisConnection<String, String> read = reading;
            StatefulRedisConnection<String, String> write = commands;
            reading = null;
            commands = null;
            if (read != null) {
                read.closeAsync();
            }
            if (write != null) {
                write.closeAsync();
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        stopping = true;
        Thread thread;
        synchronized (lifecycle) {
            thread = readerThread;
        }
        if (available && nodeId != null) {
            try {
                commands().del(nodeKey(nodeId));
            } catch (RuntimeException e) {
                LOG.debug("could not remove node key: {}", e.toString());
            }
        }
        available = false;
        closeConnections();
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(settings.commandTimeout().toMillis() + 2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeConnections();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
}
