package io.eventstreamer.core.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * docs/protocol.md and the protocol package name the same messages, error codes and gap reasons:
 * a name added on one side and not the other fails here. (What each message looks like is
 * {@link ServerMessagesTest}'s and {@link EventEnvelopeTest}'s job.)
 */
class ProtocolDocsTest {
    private final ProtocolDoc doc = ProtocolDoc.read();

    @Test
    @DisplayName("the \"Server \u2192 client\" table lists every message type the server sends, and only those")
    void messageTypes() {
        List<String> documented = firstColumn("### Server \u2192 client");

        assertThat(documented).as("types in %s, Server \u2192 client", doc.path())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(MessageType.values())
                        .map(MessageType::wireName).collect(Collectors.toList()));
    }

    @Test
    @DisplayName("the Errors table lists every error code, and only those")
    void errorCodes() {
        List<String> documented = firstColumn("### Errors");

        assertThat(documented).as("codes in %s, Errors", doc.path())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(ErrorCode.values())
                        .map(ErrorCode::wireName).collect(Collectors.toList()));
    }

    @Test
    @DisplayName("the gap's reason lists every gap reason, and a failed resume's table every one but overflow")
    void gapReasons() {
        List<String> gapReasons = doc.table("#### gap").stream()
                .filter(row -> row.get(0).equals("`reason`"))
                .flatMap(row -> ProtocolDoc.names(row.get(1)).stream())
                .distinct()
                .collect(Collectors.toList());
        List<String> resumeReasons = firstColumn("#### Resuming after a reconnect");

        assertThat(gapReasons).as("reasons in %s, gap", doc.path())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(GapReason.values())
                        .map(GapReason::wireName).collect(Collectors.toList()));
        assertThat(resumeReasons).as("reasons in %s, Resuming after a reconnect", doc.path())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(GapReason.values())
                        .filter(reason -> reason != GapReason.OVERFLOW)
                        .map(GapReason::wireName).collect(Collectors.toList()));
    }

    /** The names in the first column of the first table under {@code heading}. */
    private List<String> firstColumn(String heading) {
        List<String> names = new ArrayList<>();
        for (List<String> row : doc.table(heading)) {
            names.addAll(ProtocolDoc.names(row.get(0)));
        }
        return names;
    }
}
