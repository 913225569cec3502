package io.eventstreamer.core.internal.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.eventstreamer.core.InvalidSettingsException;
import io.eventstreamer.core.internal.plugin.PluginFolder;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every core setting, read once and validated at start-up, so that a mistake stops the host
 * before it listens rather than surfacing later, with every mistake of the configuration listed
 * at once. Defaults live only in {@code reference.conf}.
 */
public final class Settings {
    public static final String ROOT = "event-streamer";
    private static final int MAX_HISTORY_SIZE = 10_000_000;
    private static final long MAX_HISTORY_BYTES = 16L * 1024 * 1024 * 1024;

    private final Config config;
    private final String host;
    private final int port;
    private final String path;
    private final boolean perMessageDeflate;
    private final boolean sseEnabled;
    private final String ssePath;
    private final Duration sseRetry;
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
    private final Optional<Path> pluginsDirectory;
    private final Map<String, CategorySettings> categories;

    private Settings(Config config, SettingsReader reader) {
        this.config = config;
        this.host = reader.string("server.host");
        this.port = reader.intInRange("server.port", 0, 65535);
        this.path = reader.string("server.path");
        reader.require("server.path", path.startsWith("/") && !path.contains(" "), "a path starting with '/'");
        this.perMessageDeflate = reader.bool("server.per-message-deflate");
        this.sseEnabled = reader.bool("server.sse.enabled");
        this.ssePath = reader.string("server.sse.path");
        reader.require("server.sse.path", ssePath.startsWith("/") && !ssePath.contains(" ") && !ssePath.equals(path),
                "a path starting with '/', other than server.path");
        this.sseRetry = reader.positiveDuration("server.sse.retry");
        this.clientTracking = reader.bool("server.client-tracking");
        this.outputBufferSize = reader.size("server.output-buffer-size", 1024, 1024 * 1024);
        this.inputBufferSize = reader.size("server.input-buffer-size", 1024, 1024 * 1024);
        this.requestHeaderTimeout = reader.positiveDuration("server.request-header-timeout");
        this.heartbeatInterval = reader.positiveDuration("heartbeat-interval");
        this.connectionTimeout = connectionTimeout(reader, heartbeatInterval);
        this.maxClients = reader.intInRange("max-clients", 1, Integer.MAX_VALUE);
        this.messageQueueSize = reader.intInRange("message-queue-size", 1, 1_000_000);
        this.messageQueueBytes = reader.size("message-queue-bytes", 1024, 1024 * 1024 * 1024);
        this.overflowPolicy = overflowPolicy(reader, "overflow-policy");
        this.historySize = reader.intInRange("history.size", 0, MAX_HISTORY_SIZE);
        this.historyMaxAge = reader.positiveDuration("history.max-age");
        this.historyMaxBytes = reader.longSize("history.max-bytes", 1024, MAX_HISTORY_BYTES);
        this.maxMessageSize = reader.size("max-message-size", 256, 16 * 1024 * 1024);
        this.drainTimeout = reader.nonNegativeDuration("drain-timeout");
        this.drainBatchSize = reader.intInRange("drain.batch-size", 1, Integer.MAX_VALUE);
        this.drainBatchInterval = reader.nonNegativeDuration("drain.batch-interval");
        this.flusherThreads = reader.intInRange("flusher-threads", 0, 1024);
        this.publishMaxBodySize = reader.size("publish.max-body-size", 1024, 64 * 1024 * 1024);
        this.publishBodyTimeout = reader.positiveDuration("publish.body-timeout");
        this.debug = reader.bool("debug");
        this.security = new SecuritySettings(reader, maxClients);
        this.broker = new BrokerSettings(reader);
        this.pluginsDirectory = pluginsDirectory(reader);
        this.categories = categories(reader);
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
     * {@code reference.conf} on the class path beneath it, and beneath those the
     * {@code reference.conf} of every jar in the plugin folders of {@code plugins.directory}.
     *
     * @throws InvalidSettingsException listing every invalid setting, each with its origin, key,
     *         value and what was expected
     */
    public static Settings from(Config applicationConfig) {
        Settings settings = from(applicationConfig, ConfigFactory.empty());
        if (settings.pluginsDirectory.isEmpty()) {
            return settings;
        }
        // Read again with the plugins' defaults: they may set a category's overflow policy or history.
        List<PluginFolder> folders;
        try {
            folders = PluginFolder.list(settings.pluginsDirectory.get());
        } catch (UncheckedIOException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
        return from(applicationConfig, PluginFolder.references(folders));
    }

    private static Settings from(Config applicationConfig, Config pluginReferences) {
        Config resolved;
        try {
            resolved = applicationConfig.withFallback(ConfigFactory.defaultReference())
                    .withFallback(pluginReferences).resolve();
        } catch (ConfigException e) {
            throw new InvalidSettingsException(e.getMessage());
        }
        if (!resolved.hasPath(ROOT)) {
            throw new InvalidSettingsException("configuration has no '" + ROOT + "' section");
        }
        ConfigValue root = resolved.getValue(ROOT);
        if (root.valueType() != ConfigValueType.OBJECT) {
            throw new InvalidSettingsException(String.format("%s: %s was %s but must be an object",
                    SettingsReader.describe(root.origin()), ROOT, root.unwrapped()));
        }
        ConfigProblems problems = new ConfigProblems();
        Settings settings = new Settings(resolved, new SettingsReader(resolved, problems));
        problems.throwIfAny();
        return settings;
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

    /** Whether Server-Sent Events are served (at {@link #ssePath()}). */
    public boolean sseEnabled() {
        return sseEnabled;
    }

    /** Path of the Server-Sent Events endpoint. */
    public String ssePath() {
        return ssePath;
    }

    /** The reconnection delay given to SSE clients ({@code retry:}). */
    public Duration sseRetry() {
        return sseRetry;
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
     * The directory whose folders are plugins, each loaded by a class loader of its own; empty when
     * {@code plugins.directory} is "" (sources come from the class path only).
     */
    public Optional<Path> pluginsDirectory() {
        return pluginsDirectory;
    }

    private static Optional<Path> pluginsDirectory(SettingsReader reader) {
        String key = "plugins.directory";
        String value = reader.string(key);
        if (value.isEmpty() || reader.failed(key)) {
            return Optional.empty();
        }
        Path directory;
        try {
            directory = Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            reader.invalid(key, "a path (" + e.getReason() + ")");
            return Optional.empty();
        }
        if (!Files.isDirectory(directory)) {
            String why = Files.exists(directory) ? "it is a file" : "it does not exist";
            reader.invalid(key, String.format("a directory, or \"\" for none (%s)", why));
            return Optional.empty();
        }
        reader.require(key, Files.isReadable(directory), "a readable directory");
        return Optional.of(directory);
    }

    /**
     * The settings of one category: {@code overflow-policy} and {@code history} from
     * {@code event-streamer.sources.<category>} when set there, else the global ones.
     */
    public CategorySettings category(String category) {
        return categories.getOrDefault(category, globalCategorySettings());
    }

    private CategorySettings globalCategorySettings() {
        return new CategorySettings(overflowPolicy, historySize, historyMaxAge, historyMaxBytes);
    }

    /**
     * The settings of every subtree under {@code sources}, installed or not, checked with the rest:
     * it must be an object, its {@code enabled} a boolean, its overrides valid.
     */
    private Map<String, CategorySettings> categories(SettingsReader reader) {
        Map<String, CategorySettings> result = new HashMap<>();
        ConfigObject sources = reader.object("sources", "an object with one subtree per category");
        for (String category : new TreeSet<>(sources.keySet())) {
            String base = ConfigUtil.joinPath("sources", category);
            reader.object(base, "an object such as { enabled = true }");
            if (reader.failed(base)) {
                continue;
            }
            if (reader.has(base + ".enabled")) {
                reader.bool(base + ".enabled");
            }
            result.put(category, categoryOverrides(reader, base));
        }
        return Map.copyOf(result);
    }

    private CategorySettings categoryOverrides(SettingsReader reader, String base) {
        String policyKey = base + ".overflow-policy";
        String sizeKey = base + ".history.size";
        String ageKey = base + ".history.max-age";
        String bytesKey = base + ".history.max-bytes";
        OverflowPolicy policy = reader.has(policyKey) ? overflowPolicy(reader, policyKey) : overflowPolicy;
        int size = reader.has(sizeKey) ? reader.intInRange(sizeKey, 0, MAX_HISTORY_SIZE) : historySize;
        Duration age = reader.has(ageKey) ? reader.positiveDuration(ageKey) : historyMaxAge;
        long bytes = reader.has(bytesKey) ? reader.longSize(bytesKey, 1024, MAX_HISTORY_BYTES) : historyMaxBytes;
        return new CategorySettings(policy, size, age, bytes);
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

    private static Duration connectionTimeout(SettingsReader reader, Duration interval) {
        String key = "connection-timeout";
        if (reader.has(key)) {
            ConfigValue value = reader.value(key);
            if (value.valueType() == ConfigValueType.STRING && "auto".equals(value.unwrapped())) {
                return interval.multipliedBy(2);
            }
        }
        Duration timeout = reader.duration(key);
        if (!reader.failed("heartbeat-interval")) {
            reader.require(key, timeout.compareTo(interval) > 0, "\"auto\" or a duration longer than heartbeat-interval ("
                    + reader.value("heartbeat-interval").unwrapped() + ")");
        }
        return timeout;
    }

    private static OverflowPolicy overflowPolicy(SettingsReader reader, String key) {
        Optional<OverflowPolicy> policy = OverflowPolicy.fromConfigName(reader.string(key));
        if (policy.isEmpty()) {
            reader.invalid(key, "one of " + OverflowPolicy.allowedNames());
        }
        return policy.orElse(OverflowPolicy.DROP_OLDEST);
    }
}
