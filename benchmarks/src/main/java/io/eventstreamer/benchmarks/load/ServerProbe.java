package io.eventstreamer.benchmarks.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reads the server process's resident memory and CPU time from {@code /proc}, and its heap after a
 * full GC with {@code jcmd} and {@code jstat}. Disabled (every reading -1) without {@code --server-pid}.
 */
final class ServerProbe {
    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private final long pid;

    ServerProbe(long pid) {
        this.pid = pid;
    }

    boolean enabled() {
        return pid > 0;
    }

    /** Resident set size in bytes (VmRSS), or -1. */
    long rssBytes() {
        if (!enabled()) {
            return -1;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }

    /**
     * The resident set size once it has stopped growing: the same, to within 1 MB, over two
     * consecutive seconds (at most {@code maxSeconds}). A server that has just said it listens is
     * still starting (class loading, JIT compilation) and grows by several megabytes in its first
     * second or two; an idle baseline taken then is too low.
     */
    long settledRssBytes(int maxSeconds) throws InterruptedException {
        long previous = rssBytes();
        int stableSeconds = 0;
        for (int i = 0; i < maxSeconds && stableSeconds < 2; i++) {
            Thread.sleep(1_000);
            long now = rssBytes();
            stableSeconds = Math.abs(now - previous) < 1024 * 1024 ? stableSeconds + 1 : 0;
            previous = now;
        }
        return previous;
    }

    /** User plus system CPU time of the whole process, in nanoseconds, or -1. */
    long cpuNanos() {
        if (!enabled()) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time used by the whole machine (all processes, user, system, interrupts), in nanoseconds,
     * from {@code /proc/stat}; or -1. Minus the server's and the load generator's own CPU time, it
     * tells whether other processes disturbed a measurement.
     */
    static long machineBusyNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) { // user nice system irq softirq steal
                ticks += Long.parseLong(f[i]);
            }
            return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Runs a full GC in the server ({@code jcmd PID GC.run}) and returns the used heap in bytes, or -1. */
    long heapUsedAfterGc() {
        if (!enabled()) {
            return -1;
        }
        run("jcmd", Long.toString(pid), "GC.run");
        String out = run("jstat", "-gc", Long.toString(pid));
        if (out == null) {
            return -1;
        }
        String[] lines = out.trim().split("\n");
        if (lines.length < 2) {
            return -1;
        }
        List<String> names = Arrays.asList(lines[0].trim().split("\\s+"));
        String[] values = lines[1].trim().split("\\s+");
        double kb = 0;
        for (String column : List.of("S0U", "S1U", "EU", "OU")) {
            int i = names.indexOf(column);
            if (i >= 0 && i < values.length) {
                kb += Double.parseDouble(values[i]);
            }
        }
        return Math.round(kb * 1024);
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
