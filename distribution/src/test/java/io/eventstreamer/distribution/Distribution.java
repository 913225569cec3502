package io.eventstreamer.distribution;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/** Where the build put things, as told by failsafe's system properties (see distribution/pom.xml). */
final class Distribution {

    private Distribution() {
    }

    /** target/event-streamer: the laid-out distribution, never modified by tests. */
    static Path directory() {
        return existing("distribution.directory");
    }

    /** target/event-streamer-VERSION.tar.gz. */
    static Path tarball() {
        return existing("distribution.tarball");
    }

    /** The example plugin's jar, examples/example-plugin/target/event-streamer-example-plugin-VERSION.jar. */
    static Path examplePluginJar() {
        return existing("example.plugin.jar");
    }

    /** The root of the repository: the parent of the distribution module. */
    static Path projectRoot() {
        return existing("project.root");
    }

    /**
     * Copies the distribution to {@code target} (which must not exist yet), keeping file modes, so
     * that a test may drop jars into lib/ or edit conf/ without touching the build's copy.
     */
    static Path copyTo(Path target) {
        Path source = directory();
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Files.copy(path, target.resolve(source.relativize(path).toString()),
                        StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + source + " to " + target, e);
        }
        return target;
    }

    private static Path existing(String property) {
        String value = requireNonNull(System.getProperty(property),
                () -> "system property " + property + " is not set: run this test with failsafe (mvn verify)");
        Path path = Paths.get(value).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException(String.format(
                    "%s (from system property %s) does not exist: run mvn package first", path, property));
        }
        return path;
    }
}
