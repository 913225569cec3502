package io.eventstreamer.core;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * The standalone server: {@code bin/event-streamer} runs this class. Configuration comes from
 * {@code ConfigFactory.load()}: {@code -Dconfig.file}, system properties, environment overrides
 * and the {@code reference.conf} defaults. SIGTERM or SIGINT stop it gracefully with exit code 0.
 */
public final class Main {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) {
        EventStreamer host;
        try {
            host = EventStreamer.start();
        } catch (InvalidSettingsException e) {
            System.err.println("event-streamer: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        } catch (HostStartException e) {
            System.err.println("event-streamer: " + e.getMessage());
            System.exit(1);
            return;
        } catch (com.typesafe.config.ConfigException e) {
            System.err.println("event-streamer: invalid configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch stopRequested = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        try {
            stopRequested.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Stop requested");
        host.stop();
        System.exit(0);
    }
}
