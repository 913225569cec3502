package io.eventstreamer.core.internal.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class VersionTest {

    @Test
    @DisplayName("classes run from a directory (no manifest) report 'dev'; the jar's version is checked by the distribution tests")
    void fromClassesIsDev() {
        assertThat(Version.of(VersionTest.class)).isEqualTo("dev");
    }
}
