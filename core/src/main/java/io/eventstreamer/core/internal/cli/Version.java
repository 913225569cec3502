package io.eventstreamer.core.internal.cli;

/** The version of event-streamer, from the core jar's manifest. */
public final class Version {
    /** What runs from classes rather than from a built jar (an IDE, a test) reports. */
    static final String UNKNOWN = "dev";

    private Version() {
    }

    /**
     * The {@code Implementation-Version} of the jar {@code owner} was loaded from, or
     * {@value #UNKNOWN} when it has none.
     */
    public static String of(Class<?> owner) {
        Package ownerPackage = owner.getPackage();
        String version = ownerPackage == null ? null : ownerPackage.getImplementationVersion();
        if (version == null || version.isBlank()) {
            return UNKNOWN;
        }
        return version;
    }
}
