package io.eventstreamer.distribution;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What mvn package laid out in target/event-streamer and packed into the tarball. */
class DistributionLayoutIT {

    @Test
    @DisplayName("lib/ holds core, the SPI, the four sources, Logback and their runtime dependencies, and no test jars")
    void libHoldsTheServerAndNoTestJars() throws IOException {
        List<String> jars = jarNames(Distribution.directory().resolve("lib"));

        assertThat(jars).anyMatch(n -> n.startsWith("event-streamer-core-"))
                .anyMatch(n -> n.startsWith("event-streamer-spi-"))
                .anyMatch(n -> n.startsWith("event-streamer-sources-error-recovery-"))
                .anyMatch(n -> n.startsWith("event-streamer-sources-scheduler-"))
                .anyMatch(n -> n.startsWith("event-streamer-sources-webhook-"))
                .anyMatch(n -> n.startsWith("event-streamer-sources-dlq-"))
                .anyMatch(n -> n.startsWith("logback-classic-"))
                .anyMatch(n -> n.startsWith("slf4j-api-"))
                .anyMatch(n -> n.startsWith("config-"))
                .anyMatch(n -> n.startsWith("jackson-databind-"))
                .anyMatch(n -> n.startsWith("jetty-server-"))
                .anyMatch(n -> n.startsWith("jetty-websocket-core-server-"));
        assertThat(jars).as("test-only jars in lib/")
                .noneMatch(n -> n.startsWith("junit-") || n.startsWith("assertj-") || n.startsWith("awaitility-")
                        || n.startsWith("jetty-client-") || n.startsWith("jetty-websocket-jetty-client-")
                        || n.contains("-tests.jar"));
        assertThat(jars).as("the example plugin is for the docs and the tests, not shipped")
                .noneMatch(n -> n.startsWith("event-streamer-example-plugin-"));
    }

    @Test
    @DisplayName("bin/event-streamer is executable and conf/ is the top-level conf/")
    void binAndConf() throws IOException {
        Path home = Distribution.directory();
        assertThat(Files.getPosixFilePermissions(home.resolve("bin/event-streamer"))).contains(
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE);
        for (String file : List.of("application.conf", "logback.xml")) {
            assertThat(home.resolve("conf").resolve(file))
                    .hasSameTextualContentAs(Distribution.projectRoot().resolve("conf").resolve(file), UTF_8);
        }
    }

    @Test
    @DisplayName("the tarball holds the same files under one top directory, with bin/* executable")
    void tarballMatchesTheDirectory() throws IOException {
        Map<String, Integer> entries = tarEntries(Distribution.tarball());
        String top = Distribution.tarball().getFileName().toString().replaceFirst("\\.tar\\.gz$", "") + "/";

        Map<String, Integer> files = new TreeMap<>();
        entries.forEach((name, mode) -> {
            if (!name.endsWith("/")) {
                files.put(name, mode);
            }
        });
        assertThat(files.keySet()).as("tar entries").allMatch(name -> name.startsWith(top));
        assertThat(files.keySet().stream().map(name -> name.substring(top.length())).collect(Collectors.toList()))
                .containsExactlyInAnyOrderElementsOf(relativeFiles(Distribution.directory()));
        assertThat(files.get(top + "bin/event-streamer") & 0111).as("execute bits of bin/event-streamer")
                .isEqualTo(0111);
    }

    private static List<String> jarNames(Path lib) throws IOException {
        try (Stream<Path> files = Files.list(lib)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar")).sorted()
                    .collect(Collectors.toList());
        }
    }

    private static List<String> relativeFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString()).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Entry name to mode, read with a minimal ustar reader (PAX path records included). */
    private static Map<String, Integer> tarEntries(Path tarball) throws IOException {
        Map<String, Integer> entries = new HashMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tarball)))) {
            String paxPath = null;
            while (true) {
                byte[] header = in.readNBytes(512);
                if (header.length < 512 || header[0] == 0) {
                    return entries;
                }
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                int mode = (int) octal(header, 100, 8);
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                byte[] content = in.readNBytes((int) size);
                in.readNBytes((int) ((512 - size % 512) % 512));
                if (type == 'x') {
                    paxPath = paxRecord(new String(content, UTF_8), "path");
                    continue;
                }
                String path = paxPath != null ? paxPath : prefix.isEmpty() ? name : prefix + "/" + name;
                paxPath = null;
                entries.put(type == '5' && !path.endsWith("/") ? path + "/" : path, mode);
            }
        }
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) {
        String digits = field(header, offset, length).trim();
        return digits.isEmpty() ? 0 : Long.parseLong(digits, 8);
    }

    private static String paxRecord(String records, String key) {
        for (String record : records.split("\n")) {
            int space = record.indexOf(' ');
            if (space > 0 && record.startsWith(key + "=", space + 1)) {
                return record.substring(space + 2 + key.length());
            }
        }
        return null;
    }
}
