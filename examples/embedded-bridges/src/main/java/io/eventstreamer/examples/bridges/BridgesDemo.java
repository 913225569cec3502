package io.eventstreamer.examples.bridges;

import static java.util.Objects.requireNonNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.eventstreamer.bridges.quartz.QuartzBridge;
import io.eventstreamer.bridges.resilience4j.Resilience4jBridge;
import io.eventstreamer.core.EventStreamer;
import io.eventstreamer.sources.errorrecovery.ErrorRecoveryEvents;
import io.eventstreamer.sources.errorrecovery.ErrorRecoverySource;
import io.eventstreamer.sources.scheduler.SchedulerEvents;
import io.eventstreamer.sources.scheduler.SchedulerSource;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * An application that embeds event-streamer and connects its Resilience4j registries and its
 * Quartz scheduler through the bridges, so that the console shows live error-recovery and
 * scheduler events without any publishing code of its own.
 *
 * <p>What it runs, all made up: calls to an inventory service every 200 ms through a circuit
 * breaker (the service is down 4 s out of every 15 s, so the breaker opens, tries, and closes
 * again), a payment every 2 s through a retry (the gateway fails half the attempts), and two
 * Quartz jobs: a cache refresh every 3 s that fails every fourth run, and a report every 20 s.
 *
 * <pre>{@code
 * mvn -q -pl examples/embedded-bridges exec:java      # then open http://127.0.0.1:8080/
 * }</pre>
 */
public final class BridgesDemo implements AutoCloseable {
    private final EventStreamer host;
    private final Scheduler scheduler;
    private final Resilience4jBridge resilience4j;
    private final QuartzBridge quartz;
    private final ScheduledExecutorService calls;

    private BridgesDemo(Config config) throws SchedulerException {
        host = EventStreamer.start(config);

        // The lines an application adds: one bridge per library, given the category's typed emitter.
        CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(breakerConfig());
        RetryRegistry retries = RetryRegistry.of(retryConfig());
        resilience4j = Resilience4jBridge.connect(
                new ErrorRecoveryEvents(host.emitter(ErrorRecoverySource.CATEGORY)), circuitBreakers, retries);
        scheduler = new StdSchedulerFactory(quartzProperties()).getScheduler();
        quartz = QuartzBridge.connect(new SchedulerEvents(host.emitter(SchedulerSource.CATEGORY)), scheduler);

        scheduleJobs(scheduler);
        scheduler.start();
        calls = Executors.newScheduledThreadPool(2, task -> {
            Thread thread = new Thread(task, "demo-calls");
            thread.setDaemon(true);
            return thread;
        });
        SimulatedServices services = new SimulatedServices(System.nanoTime());
        CircuitBreaker inventory = circuitBreakers.circuitBreaker("inventory-service");
        Retry payments = retries.retry("payment-capture");
        calls.scheduleAtFixedRate(() -> services.callInventory(inventory), 0, 200, TimeUnit.MILLISECONDS);
        calls.scheduleAtFixedRate(() -> services.capturePayment(payments), 500, 2_000, TimeUnit.MILLISECONDS);
    }

    /** Starts the host with {@code config} and everything that produces its events. */
    public static BridgesDemo start(Config config) throws SchedulerException {
        return new BridgesDemo(requireNonNull(config, "config is null"));
    }

    /** The running host, e.g. for its {@link EventStreamer#httpUri()}. */
    public EventStreamer host() {
        return host;
    }

    /** Runs until Ctrl-C or SIGTERM. The port is event-streamer.server.port, 8080 unless EVENT_STREAMER_PORT says otherwise. */
    public static void main(String[] args) throws Exception {
        BridgesDemo demo = start(ConfigFactory.load());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            demo.close();
            stopped.countDown();
        }, "demo-shutdown"));
        System.out.printf("%nevent-streamer demo running: open %s and watch error-recovery and scheduler "
                + "(Ctrl-C stops)%n%n", demo.host().httpUri());
        stopped.await();
    }

    /** Stops the calls, the scheduler (waiting for running jobs), the bridges and the host. */
    @Override
    public void close() {
        calls.shutdownNow();
        try {
            scheduler.shutdown(true);
        } catch (SchedulerException e) {
            throw new IllegalStateException("the Quartz scheduler did not shut down", e);
        } finally {
            quartz.close();
            resilience4j.close();
            host.stop();
        }
    }

    private static CircuitBreakerConfig breakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .failureRateThreshold(50)
                .slowCallDurationThreshold(Duration.ofMillis(500))
                .waitDurationInOpenState(Duration.ofSeconds(2))
                .automaticTransitionFromOpenToHalfOpenEnabled(true)
                .permittedNumberOfCallsInHalfOpenState(3)
                .build();
    }

    private static RetryConfig retryConfig() {
        return RetryConfig.custom()
                .maxAttempts(4)
                .waitDuration(Duration.ofMillis(300))
                .build();
    }

    private static Properties quartzProperties() {
        Properties properties = new Properties();
        properties.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, "bridges-demo");
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        return properties;
    }

    private static void scheduleJobs(Scheduler scheduler) throws SchedulerException {
        scheduler.scheduleJob(
                JobBuilder.newJob(DemoJobs.CacheRefresh.class).withIdentity("cache-refresh", "maintenance").build(),
                TriggerBuilder.newTrigger()
                        .withIdentity("cache-refresh-every-3s", "maintenance")
                        .withDescription("Cache refresh")
                        .withSchedule(SimpleScheduleBuilder.repeatSecondlyForever(3))
                        .startNow()
                        .build());
        scheduler.scheduleJob(
                JobBuilder.newJob(DemoJobs.Report.class).withIdentity("sales-report", "reports").build(),
                TriggerBuilder.newTrigger()
                        .withIdentity("sales-report-every-20s", "reports")
                        .withDescription("Sales report (every 20 s in the demo)")
                        .withSchedule(CronScheduleBuilder.cronSchedule("0/20 * * * * ?"))
                        .build());
    }
}
