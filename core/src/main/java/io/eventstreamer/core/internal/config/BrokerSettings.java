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

    BrokerSettings(Settings settings) {
        String name = settings.string("broker.type");
        if ("memory".equals(name)) {
            this.type = Type.MEMORY;
        } else if ("redis".equals(name)) {
            this.type = Type.REDIS;
        } else {
            throw settings.invalid("broker.type", name, "one of memory, redis");
        }
        this.redisUri = redisUri(settings);
        this.streamPrefix = settings.string("broker.redis.stream-prefix");
        settings.require("broker.redis.stream-prefix", !streamPrefix.isEmpty(), streamPrefix, "a non-empty string");
        this.commandTimeout = settings.positiveDuration("broker.redis.command-timeout");
        this.retryInterval = settings.positiveDuration("broker.redis.retry-interval");
        this.nodeRefreshInterval = settings.positiveDuration("broker.redis.node-refresh-interval");
    }

    private static RedisURI redisUri(Settings settings) {
        String key = "broker.redis.uri";
        String uri = settings.string(key);
        String expected = "a Redis URI such as redis://127.0.0.1:6379, redis://:password@host:6379/0 or rediss://host:6380";
        if (!uri.startsWith("redis://") && !uri.startsWith("rediss://")) {
            throw settings.invalid(key, uri, expected);
        }
        try {
            RedisURI parsed = RedisURI.create(uri);
            settings.require(key, parsed.getHost() != null && !parsed.getHost().isEmpty(), uri, expected);
            return parsed;
        } catch (IllegalArgumentException e) {
            throw settings.invalid(key, uri, expected);
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
