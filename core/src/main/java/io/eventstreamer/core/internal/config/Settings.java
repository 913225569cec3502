package io.eventstreamer.core.internal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.eventstreamer.core.InvalidSettingsException;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Every core setting, read once and validated at start-up, so that a mistake stops the host
 * before it listens rather than surfacing later. Defaults live only in {@code reference.conf}.
 */
public final class Settings {
    public static final String ROOT = "event-streamer";
    private static final long MAX_HISTORY_BYTES = 16L * 1024 * 1024 * 1024;

    private final Config config;
    private final String host;
    private final int port;
    private final String path;
    private final boolean perMessageDeflate;
    private final boolean clientTracking;
    private final int outputBufferSize;
    private final int inputBufferSize;
    private final Duration heartbeatInterval;
    private final Duration connectionTimeout;
    private final int maxClients;
    private final int messageQueueSize;
    private final int messageQueueBytes;
    private final Duration requestHeaderTimeout;
    private final Duration publishBodyTimeout;
    private final long historyMaxBytes;
    private final OverflowPolicy overflowPolicy;
    private final int maxMessageSize;
    private final Duration drainTimeout;
    private final int drainBatchSize;
    private final Duration drainBatchInterval;
    private final int historySize;
    private final Duration historyMaxAge;
    private final int flusherThreads;
    private final int publishMaxBodySize;
    private final boolean debug;
    private final SecuritySettings security;
    private final BrokerSettings broker;

    private Settings(Config config) {
        this.config = config;
        this.host = string("server.host");
        this.port = intInRange("server.port", 0, 65535);
        this.path = string("server.path");
        require("server.path", path.startsWith("/") && !path.contains(" "), path, "a path starting with '/'");
        this.perMessageDeflate = bool("server.per-message-deflate");
        this.clientTracking = bool("server.client-tracking");
        this.outputBufferSize = size("server.output-buffer-size", 1024, 1024 * 1024);
        this.inputBufferSize = size("server.input-buffer-size", 1024, 1024 * 1024);
        this.requestHeaderTimeout = positiveDuration("server.request-header-timeout");
        this.heartbeatInterval = positiveDuration("heartbeat-interval");
        this.connectionTimeout = connectionTimeout(heartbeatInterval);
        this.maxClients = intInRange("max-clients", 1, Integer.MAX_VALUE);
        this.messageQueueSize = intInRange("message-queue-size", 1, 1_000_000);
        this.messageQueueBytes = size("message-queue-bytes", 1024, 1024 * 1024 * 1024);
        this.overflowPolicy = readOverflowPolicy("overflow-policy");
        this.historySize = intInRange("history.size", 0, 10_000_000);
        this.historyMaxAge = positiveDuration("history.max-age");
        this.historyMaxBytes = longSize("history.max-bytes", 1024, MAX_HISTORY_BYTES);
        this.maxMessageSize = size("max-message-size", 256, 16 * 1024 * 1024);
        this.drainTimeout = duration("drain-timeout");
        require("drain-timeout", !drainTimeout.isNegative(), drainTimeout, ">= 0");
        this.drainBatchSize = intInRange("drain.batch-size", 1, Integer.MAX_VALUE);
        this.drainBatchInterval = duration("drain.batch-interval");
        require("drain.batch-interval", !drainBatchInterval.isNegative(), drainBatchInterval, ">= 0");
        this.flusherThreads = intInRange("flusher-threads", 0, 1024);
        this.publishMaxBodySize = size("publish.max-body-size", 1024, 64 * 1024 * 1024);
        this.publishBodyTimeout = positiveDuration("publish.body-timeout");
        this.debug = bool("debug");
        this.security = new SecuritySettings(this);
        this.broker = new BrokerSettings(this);
    }

    List<String> stringList(String key) {
        return read(key, config::getStringList, "a list of strings");
    }

    /** The broker: memory (this host only) or redis (shared by several hosts). */
    public BrokerSettings broker() {
        return broker;
    }

    /** Authentication, authorization, TLS and limits. */
    public SecuritySettings security() {
        return security;
    }

    /**
     * Reads and validates the settings from an application's configuration, with every
     * {@code reference.conf} on the class path beneath it.
     *
     * @throws InvalidSettingsException naming the key, its value, its origin and what was expected
     */
    public static Settings from(Config applicationConfig) {
        Config resolved;
        try {
            resolved = applicationConfig.withFallback(ConfigFactory.defaultReference()).resolve();
        } catch (ConfigException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
        if (!resolved.hasPath(ROOT)) {
            throw new InvalidSettingsException("configuration has no '" + ROOT + "' section");
        }
        return new Settings(resolved);
    }

    /** The whole resolved configuration, for sources' subtrees. */
    public Config config() {
        return config;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String path() {
        return path;
    }

    public boolean perMessageDeflate() {
        return perMessageDeflate;
    }

    public boolean clientTracking() {
        return clientTracking;
    }

    public int outputBufferSize() {
        return outputBufferSize;
    }

    public int inputBufferSize() {
        return inputBufferSize;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    public Duration connectionTimeout() {
        return connectionTimeout;
    }

    public int maxClients() {
        return maxClients;
    }

    public int messageQueueSize() {
        return messageQueueSize;
    }

    /** Per-client bound on the encoded bytes of queued events. */
    public int messageQueueBytes() {
        return messageQueueBytes;
    }

    /** How long a connection may take to send a complete request head. */
    public Duration requestHeaderTimeout() {
        return requestHeaderTimeout;
    }

    /** How long the body of a publish request may take to arrive. */
    public Duration publishBodyTimeout() {
        return publishBodyTimeout;
    }

    /** The global bound on the bytes of each category's history. */
    public long historyMaxBytes() {
        return historyMaxBytes;
    }

    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    public int drainBatchSize() {
        return drainBatchSize;
    }

    public Duration drainBatchInterval() {
        return drainBatchInterval;
    }

    public int historySize() {
        return historySize;
    }

    public Duration historyMaxAge() {
        return historyMaxAge;
    }

    /**
     * The settings of one category: {@code overflow-policy} and {@code history} from
     * {@code event-streamer.sources.<category>} when set there, else the global ones.
     *
     * @throws InvalidSettingsException for an invalid override
     */
    public CategorySettings category(String category) {
        String base = "sources." + category + ".";
        OverflowPolicy policy = has(base + "overflow-policy") ? readOverflowPolicy(base + "overflow-policy")
                : overflowPolicy;
        int size = has(base + "history.size") ? intInRange(base + "history.size", 0, 10_000_000) : historySize;
        Duration age = has(base + "history.max-age") ? positiveDuration(base + "history.max-age") : historyMaxAge;
        long bytes = has(base + "history.max-bytes") ? longSize(base + "history.max-bytes", 1024, MAX_HISTORY_BYTES)
                : historyMaxBytes;
        return new CategorySettings(policy, size, age, bytes);
    }

    boolean has(String key) {
        return config.hasPath(ROOT + "." + key);
    }

    /** The number of flusher threads, with 0 ("auto") already turned into the processor count. */
    public int flusherThreads() {
        return flusherThreads == 0 ? Runtime.getRuntime().availableProcessors() : flusherThreads;
    }

    public int publishMaxBodySize() {
        return publishMaxBodySize;
    }

    public boolean debug() {
        return debug;
    }

    private Duration connectionTimeout(Duration interval) {
        String key = "connection-timeout";
        ConfigValue value = value(key);
        if (value.valueType() == ConfigValueType.STRING && "auto".equals(value.unwrapped())) {
            return interval.multipliedBy(2);
        }
        Duration timeout = duration(key);
        require(key, timeout.compareTo(interval) > 0, timeout,
                "\"auto\" or a duration longer than heartbeat-interval (" + value("heartbeat-interval").unwrapped() + ")");
        return timeout;
    }

    private OverflowPolicy readOverflowPolicy(String key) {
        String name = string(key);
        return OverflowPolicy.fromConfigName(name).orElseThrow(() -> invalid(key, name,
                "one of " + OverflowPolicy.allowedNames()));
    }

    String string(String key) {
        return read(key, config::getString, "a string");
    }

    boolean bool(String key) {
        return read(key, config::getBoolean, "true or false");
    }

    Duration duration(String key) {
        return read(key, config::getDuration, "a duration such as 500ms, 30s or 2m");
    }

    Duration positiveDuration(String key) {
        Duration d = duration(key);
        require(key, !d.isNegative() && !d.isZero(), d, "a duration > 0");
        return d;
    }

    int intInRange(String key, int min, int max) {
        int v = read(key, config::getInt, "an integer");
        String expected = max == Integer.MAX_VALUE ? ">= " + min : "between " + min + " and " + max;
        require(key, v >= min && v <= max, v, expected);
        return v;
    }

    int size(String key, long min, long max) {
        return (int) longSize(key, min, Math.min(max, Integer.MAX_VALUE));
    }

    long longSize(String key, long min, long max) {
        long bytes = read(key, config::getBytes, "a size such as 64KiB or 1MiB");
        require(key, bytes >= min && bytes <= max, value(key).unwrapped(),
                "a size between " + min + " and " + max + " bytes");
        return bytes;
    }

    private <T> T read(String key, Function<String, T> getter, String expected) {
        String path = ROOT + "." + key;
        try {
            return getter.apply(path);
        } catch (ConfigException.Missing e) {
            throw new InvalidSettingsException(path + " is missing; expected " + expected);
        } catch (ConfigException e) {
            throw invalid(key, value(key).unwrapped(), expected);
        }
    }

    ConfigValue value(String key) {
        return config.getValue(ROOT + "." + key);
    }

    void require(String key, boolean condition, Object value, String expected) {
        if (!condition) {
            throw invalid(key, value, expected);
        }
    }

    /** The message shows the value as it was written, e.g. {@code -5s} rather than {@code PT-5S}. */
    InvalidSettingsException invalid(String key, Object ignoredParsedValue, String expected) {
        String path = ROOT + "." + key;
        ConfigValue raw = config.getValue(path);
        Object shown = isSecret(key) ? "********" : raw.unwrapped();
        return new InvalidSettingsException(String.format("%s: %s was %s but must be %s",
                describe(raw.origin()), path, shown, expected));
    }

    /** Whether a key holds a secret that must never be printed (messages, --check-config, logs). */
    public static boolean isSecret(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        if (key.equals("broker.redis.uri")) {
            return true; // may hold the Redis password
        }
        return last.contains("secret") || last.contains("password") || last.contains("token")
                || last.equals("key") || last.endsWith("-key") || last.contains("credential");
    }

    /** "conf/application.conf:12", "system property", "environment variable DEBUG_WEBSOCKET", ... */
    static String describe(ConfigOrigin origin) {
        String file = origin.filename();
        if (file == null && origin.url() != null) {
            file = origin.url().toString();
        }
        if (file != null) {
            return origin.lineNumber() >= 0 ? file + ":" + origin.lineNumber() : file;
        }
        return origin.description().replaceFirst(": (\\d+)$", ":$1");
    }
}
