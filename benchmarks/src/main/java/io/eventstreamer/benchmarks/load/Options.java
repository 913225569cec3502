package io.eventstreamer.benchmarks.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The load generator's flags, parsed and checked once. Every flag has a default. */
final class Options {
    static final List<String> ALL_CATEGORIES = EventBodies.STANDARD_CATEGORIES;

    Scenario scenario = Scenario.FANOUT;
    URI target = URI.create("http://127.0.0.1:8080");
    Transport transport = Transport.WS;
    String wsPath = "/ws";
    String ssePath = "/sse";
    int connections = 100;
    double rate = 100;
    Duration duration = Duration.ofSeconds(10);
    Duration warmup = Duration.ofSeconds(30);
    double warmupRate = 0;
    int payloadBytes = 200;
    List<String> categories = ALL_CATEGORIES;
    PublishMode publish = PublishMode.HTTP_BATCH;
    int batch = 0;
    int publishConcurrency = 8;
    long serverPid = 0;
    List<InetAddress> bindAddresses = new ArrayList<>();
    int clientThreads = 1;
    int handshakesInFlight = 256;
    Duration connectTimeout = Duration.ofSeconds(120);
    Duration settle = Duration.ofSeconds(2);
    double p99BoundMillis = 200;
    double maxRate = 1_000_000;
    int refine = 2;
    double churnRate = 500;
    Duration churnLifetime = Duration.ofSeconds(1);
    int slowConsumers = 0;
    Duration signOfLife = Duration.ofSeconds(10);
    Duration drainTimeout = Duration.ofSeconds(10);

    enum Scenario { IDLE, FANOUT, SWEEP, CHURN }

    enum Transport {
        WS("ws"), SSE("sse");

        final String flag;

        Transport(String flag) {
            this.flag = flag;
        }
    }

    enum PublishMode {
        HTTP_BATCH("http-batch"), HTTP_SINGLE("http-single");

        final String flag;

        PublishMode(String flag) {
            this.flag = flag;
        }
    }

    static final String USAGE = String.join("\n",
            "usage: LoadGenerator --scenario idle|fanout|sweep|churn [flags]",
            "  --target URL              server base URL, loopback only (http://127.0.0.1:8080)",
            "  --transport ws|sse        how subscribers connect: WebSocket or Server-Sent Events (ws)",
            "  --ws-path PATH            WebSocket path (/ws)",
            "  --sse-path PATH           Server-Sent Events path (/sse)",
            "  --connections N           subscribed connections (100)",
            "  --rate R                  publish rate in events/s; sweep: the first step (100)",
            "  --duration D              measured time per result, e.g. 10s, 2m (10s)",
            "  --warmup D                publishing before the first measurement (30s)",
            "  --warmup-rate R           events/s during the warm-up (default: --rate)",
            "  --payload-bytes B         size of each event's data object (200)",
            "  --categories a,b          categories every connection subscribes to and events rotate over (all four)",
            "  --publish MODE            http-batch (POST arrays) or http-single (one event per POST) (http-batch)",
            "  --batch N                 events per POST with http-batch (auto: about one POST per millisecond)",
            "  --publish-concurrency N   POSTs in flight at once (8)",
            "  --server-pid PID          read the server's RSS, CPU and heap (/proc, jcmd, jstat)",
            "  --bind-addresses A,B      loopback source addresses, round robin (127.0.0.1)",
            "  --client-threads N        selector threads of the client (1)",
            "  --handshakes-in-flight N  connection ramp: handshakes at once (256)",
            "  --settle D                sweep: publishing at a step's rate before measuring (2s)",
            "  --p99-bound-ms MS         sweep: stop when p99 exceeds it (200)",
            "  --max-rate R              sweep: highest rate tried, events/s (1000000)",
            "  --refine K                sweep: bisection steps after the first failing step (2)",
            "  --churn-rate C            churn: connects and disconnects per second (500)",
            "  --churn-lifetime D        churn: how long each churning connection lives (1s)",
            "  --slow-consumers N        extra subscribers that never read (0)",
            "  --sign-of-life D          how often those send a pong, so that the server doesn't close them as stale (10s)",
            "  --drain-timeout D         wait for late deliveries after publishing stops (10s)");

    static Options parse(String... args) {
        Map<String, String> flags = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + USAGE);
            }
            int eq = a.indexOf('=');
            if (eq > 0) {
                flags.put(a.substring(2, eq), a.substring(eq + 1));
            } else if (i + 1 < args.length) {
                flags.put(a.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException("flag " + a + " needs a value\n" + USAGE);
            }
        }
        Options o = new Options();
        for (Map.Entry<String, String> f : flags.entrySet()) {
            o.set(f.getKey(), f.getValue());
        }
        o.check();
        return o;
    }

    private void set(String name, String value) {
        switch (name) {
            case "scenario": scenario = Scenario.valueOf(value.toUpperCase()); break;
            case "target": target = URI.create(value); break;
            case "transport": transport = transport(value); break;
            case "ws-path": wsPath = value; break;
            case "sse-path": ssePath = value; break;
            case "connections": connections = Integer.parseInt(value); break;
            case "rate": rate = Double.parseDouble(value); break;
            case "duration": duration = duration(value); break;
            case "warmup": warmup = duration(value); break;
            case "warmup-rate": warmupRate = Double.parseDouble(value); break;
            case "payload-bytes": payloadBytes = Integer.parseInt(value); break;
            case "categories": categories = Arrays.asList(value.split(",")); break;
            case "publish": publish = publishMode(value); break;
            case "batch": batch = Integer.parseInt(value); break;
            case "publish-concurrency": publishConcurrency = Integer.parseInt(value); break;
            case "server-pid": serverPid = Long.parseLong(value); break;
            case "bind-addresses": bindAddresses = addresses(value); break;
            case "client-threads": clientThreads = Integer.parseInt(value); break;
            case "handshakes-in-flight": handshakesInFlight = Integer.parseInt(value); break;
            case "settle": settle = duration(value); break;
            case "p99-bound-ms": p99BoundMillis = Double.parseDouble(value); break;
            case "max-rate": maxRate = Double.parseDouble(value); break;
            case "refine": refine = Integer.parseInt(value); break;
            case "churn-rate": churnRate = Double.parseDouble(value); break;
            case "churn-lifetime": churnLifetime = duration(value); break;
            case "slow-consumers": slowConsumers = Integer.parseInt(value); break;
            case "sign-of-life": signOfLife = duration(value); break;
            case "drain-timeout": drainTimeout = duration(value); break;
            default: throw new IllegalArgumentException("unknown flag --" + name + "\n" + USAGE);
        }
    }

    private void check() {
        requireLoopback("--target", target.getHost());
        if (!"http".equals(target.getScheme())) {
            throw new IllegalArgumentException("--target must be an http:// URL but was " + target);
        }
        if (bindAddresses.isEmpty()) {
            bindAddresses = addresses("127.0.0.1");
        }
        if (connections < 0 || rate <= 0 || payloadBytes < 64 || clientThreads < 1 || publishConcurrency < 1) {
            throw new IllegalArgumentException("--connections >= 0, --rate > 0, --payload-bytes >= 64, "
                    + "--client-threads >= 1 and --publish-concurrency >= 1 are required");
        }
        for (String c : categories) {
            if (c.isBlank()) {
                throw new IllegalArgumentException("--categories has an empty name");
            }
        }
        if (warmupRate <= 0) {
            warmupRate = rate;
        }
    }

    int port() {
        return target.getPort() > 0 ? target.getPort() : 80;
    }

    /** Events per POST: the flag, or about one POST per millisecond at {@code eventsPerSecond}. */
    int batchFor(double eventsPerSecond) {
        if (publish == PublishMode.HTTP_SINGLE) {
            return 1;
        }
        if (batch > 0) {
            return batch;
        }
        return (int) Math.max(1, Math.min(1000, Math.round(eventsPerSecond / 1000)));
    }

    private static List<InetAddress> addresses(String list) {
        List<InetAddress> out = new ArrayList<>();
        for (String a : list.split(",")) {
            out.add(requireLoopback("--bind-addresses", a.trim()));
        }
        return out;
    }

    /** Refuses anything but a loopback address: this tool only ever loads a server on this machine. */
    static InetAddress requireLoopback(String flag, String host) {
        try {
            InetAddress address = InetAddress.getByName(host);
            if (!address.isLoopbackAddress()) {
                throw new IllegalArgumentException(String.format(
                        "%s was '%s' but only loopback addresses (127.0.0.0/8, ::1) may be targeted", flag, host));
            }
            return address;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(String.format("%s was '%s', which does not resolve", flag, host), e);
        }
    }

    private static Transport transport(String value) {
        for (Transport t : Transport.values()) {
            if (t.flag.equals(value)) {
                return t;
            }
        }
        throw new IllegalArgumentException("--transport was '" + value + "' but must be ws or sse");
    }

    private static PublishMode publishMode(String value) {
        for (PublishMode m : PublishMode.values()) {
            if (m.flag.equals(value)) {
                return m;
            }
        }
        throw new IllegalArgumentException("--publish was '" + value + "' but must be http-batch or http-single");
    }

    /** {@code 500ms}, {@code 10s}, {@code 2m}, or plain seconds. */
    static Duration duration(String value) {
        String v = value.trim();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 60_000));
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(v) * 1000));
    }
}
