package io.eventstreamer.core.internal.broker;

import io.eventstreamer.core.internal.config.Settings;
import io.eventstreamer.core.it.cluster.RedisServer;
import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The redis broker passes the broker contract against a real redis-server (started on a free
 * loopback port): brokers of one test share its streams, as the nodes of a cluster do.
 */
class RedisBrokerContractTest extends BrokerContract {
    private static RedisServer redis;
    private String prefix;

    @BeforeAll
    static void startRedis() throws IOException {
        redis = RedisServer.start(false);
    }

    @AfterAll
    static void stopRedis() throws IOException {
        if (redis != null) {
            redis.close();
        }
    }

    @BeforeEach
    void newStreams() {
        prefix = "contract-" + UUID.randomUUID() + ":";
    }

    @Override
    protected Settings settings(String... overrides) {
        String[] all = new String[overrides.length + 5];
        all[0] = "broker.type = redis";
        all[1] = "broker.redis.uri = \"" + redis.uri() + "\"";
        all[2] = "broker.redis.stream-prefix = \"" + prefix + "\"";
        all[3] = "broker.redis.retry-interval = 100ms";
        all[4] = "broker.redis.node-refresh-interval = 500ms";
        System.arraycopy(overrides, 0, all, 5, overrides.length);
        return super.settings(all);
    }

    @Override
    protected Broker newBroker(Settings settings) {
        return new RedisBroker(settings.broker(), new Broker.Clients() {
            @Override
            public int count() {
                return 0;
            }

            @Override
            public void streamInterrupted() {
            }

            @Override
            public void streamRestored() {
            }
        });
    }

    @Override
    protected boolean sharesEvents() {
        return true;
    }
}
