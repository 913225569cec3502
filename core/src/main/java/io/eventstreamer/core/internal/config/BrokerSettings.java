package io.eventstreamer.core.internal.config;

import io.lettuce.core.RedisURI;
import java.time.Duration;

/** Where published events go: this host's memory, or Redis Streams shared by several hosts. */
public final class BrokerSettings {
    /** The kinds of broker, by their configuration names. */
    public enum Type {
        MEMORY, REDIS
    }

    private final Type type;
    private final RedisURI redisUri;
    private final String streamPrefix;
    private final Duration commandTimeout;
    private final Duration retryInterval;
    private final Duration nodeRefreshInterval;

    BrokerSettings(SettingsReader reader) {
        this.type = type(reader);
        this.redisUri = redisUri(reader);
        this.streamPrefix = reader.string("broker.redis.stream-prefix");
        reader.require("broker.redis.stream-prefix", !streamPrefix.isEmpty(), "a non-empty string");
        this.commandTimeout = reader.positiveDuration("broker.redis.command-timeout");
        this.retryInterval = reader.positiveDuration("broker.redis.retry-interval");
        this.nodeRefreshInterval = reader.positiveDuration("broker.redis.node-refresh-interval");
    }

    private static Type type(SettingsReader reader) {
        String name = reader.string("broker.type");
        if ("redis".equals(name)) {
            return Type.REDIS;
        }
        reader.require("broker.type", "memory".equals(name), "one of memory, redis");
        return Type.MEMORY;
    }

    /** Null when the URI can't be parsed (a problem is recorded, so these settings are not used). */
    private static RedisURI redisUri(SettingsReader reader) {
        String key = "broker.redis.uri";
        String uri = reader.string(key);
        String expected = "a Redis URI such as redis://127.0.0.1:6379, redis://:password@host:6379/0 or rediss://host:6380";
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            reader.invalid(key, expected);
            return null;
        }
        try {
            RedisURI parsed = RedisURI.create(uri);
            reader.require(key, parsed.getHost() != null && !parsed.getHost().isEmpty(), expected);
            return parsed;
        } catch (IllegalArgumentException e) {
            reader.invalid(key, expected);
            return null;
        }
    }

    public Type type() {
        return type;
    }

    /** The Redis to connect to, with password, TLS and database as the URI gave them. */
    public RedisURI redisUri() {
        return redisUri;
    }

    /** host:port of the Redis URI, for log lines (never the password). */
    public String redisAddress() {
        return redisUri.getHost() + ":" + redisUri.getPort();
    }

    public String streamPrefix() {
        return streamPrefix;
    }

    public Duration commandTimeout() {
        return commandTimeout;
    }

    public Duration retryInterval() {
        return retryInterval;
    }

    public Duration nodeRefreshInterval() {
        return nodeRefreshInterval;
    }
}
