package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.eventstreamer.core.internal.Host;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** An embedded host that any web page could read says so once, at start, as a WARN line. */
class OpenAccessWarningTest {
    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private final Logger hostLogger = (Logger) LoggerFactory.getLogger(Host.class);
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

    @BeforeEach
    void captureHostLog() {
        logged.start();
        hostLogger.addAppender(logged);
    }

    @AfterEach
    void stopCapturing() {
        hostLogger.detachAppender(logged);
    }

    private List<String> warnings() {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).collect(Collectors.toList());
    }

    @Test
    @DisplayName("auth off and no allowed origins: one WARN line with the fix")
    void warnsWhenOpen() {
        hosts.start();

        assertThat(warnings()).singleElement().asString()
                .contains("any web page opened in a browser on this machine can read the stream")
                .contains("event-streamer.server.allowed-origins = [\"http://localhost:3000\"]")
                .doesNotContain("\n");
    }

    @Test
    @DisplayName("no warning once origins are restricted")
    void quietWhenOriginsAreSet() {
        hosts.start("server.allowed-origins = [\"http://localhost:3000\"]");

        assertThat(warnings()).isEmpty();
    }
}
