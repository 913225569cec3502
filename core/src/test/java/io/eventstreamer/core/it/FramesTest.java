package io.eventstreamer.core.it;

import static io.eventstreamer.core.it.Wire.assertError;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What RFC 6455 lets a client send besides one text frame per message: PINGs, messages in several
 * frames with control frames between them, invalid UTF-8, and extensions offered at the upgrade.
 * The server reads frames itself (Jetty's core WebSocket level), so each of these is its job.
 */
class FramesTest {
    private static final int CONTINUATION = 0x0;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int PING = 0x9;
    private static final int PONG = 0xA;
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SUBSCRIBE = "{\"type\":\"subscribe\",\"categories\":[\"test-alpha\"],\"clientId\":\"café-ü\"}";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    @Test
    @DisplayName("a PING is answered with a PONG carrying its payload")
    void pingAnsweredWithPong() throws IOException {
        hosts.start();
        RawWebSocket client = hosts.rawClient();
        byte[] payload = "are you there?".getBytes(UTF_8);

        client.sendFrame(PING, payload);
        RawWebSocket.Frame pong = client.read(WAIT);

        assertThat(pong.opcode()).isEqualTo(PONG);
        assertThat(pong.payload()).isEqualTo(payload);
        assertStillAnswers(client);
    }

    @Test
    @DisplayName("a text message in several frames, split inside a character, with a PING between them, is one message")
    void fragmentedText() throws IOException {
        hosts.start();
        RawWebSocket client = hosts.rawClient();
        byte[] subscribe = SUBSCRIBE.getBytes(UTF_8);
        int insideCharacter = SUBSCRIBE.indexOf('é') + 1; // é is two bytes in UTF-8: cut after the first

        client.sendFrame(TEXT, false, Arrays.copyOfRange(subscribe, 0, 10));
        client.sendFrame(CONTINUATION, false, Arrays.copyOfRange(subscribe, 10, insideCharacter));
        client.sendFrame(PING, new byte[] {42});
        client.sendFrame(CONTINUATION, true, Arrays.copyOfRange(subscribe, insideCharacter, subscribe.length));

        RawWebSocket.Frame pong = client.read(WAIT);
        assertThat(pong.opcode()).isEqualTo(PONG);
        JsonNode ack = client.readJson(WAIT);
        assertThat(ack.get("type").asText()).as("answer: %s", ack).isEqualTo("subscription-ack");
        assertThat(hosts.status().at("/clientDetails/café-ü")).isEqualTo(Wire.json("[\"test-alpha\"]"));
        assertStillAnswers(client);
    }

    @Test
    @DisplayName("invalid UTF-8 closes with 1007, whether in one frame, cut short, or in a later frame")
    void invalidUtf8() throws IOException {
        hosts.start();
        byte[] valid = "{\"type\":\"".getBytes(UTF_8);

        RawWebSocket oneFrame = hosts.rawClient();
        oneFrame.sendFrame(TEXT, new byte[] {'"', (byte) 0xC3, '(', '"'});
        assertThat(closeCode(oneFrame)).isEqualTo(1007);

        RawWebSocket cutShort = hosts.rawClient();
        cutShort.sendFrame(TEXT, new byte[] {'"', (byte) 0xE2, (byte) 0x82});
        assertThat(closeCode(cutShort)).isEqualTo(1007);

        RawWebSocket laterFrame = hosts.rawClient();
        laterFrame.sendFrame(TEXT, false, valid);
        laterFrame.sendFrame(CONTINUATION, true, new byte[] {(byte) 0xFF});
        assertThat(closeCode(laterFrame)).isEqualTo(1007);
    }

    @Test
    @DisplayName("a message over max-message-size closes with 1009 even when each of its frames is under it")
    void fragmentedMessageTooBig() throws IOException {
        hosts.start("max-message-size = 1KiB");
        RawWebSocket client = hosts.rawClient();
        byte[] part = " ".repeat(600).getBytes(UTF_8);

        client.sendFrame(TEXT, false, part);
        client.sendFrame(CONTINUATION, false, part);

        assertThat(closeCode(client)).isEqualTo(1009);
    }

    @Test
    @DisplayName("a binary message in several frames gets the binary-not-supported error, and the connection stays open")
    void fragmentedBinary() throws IOException {
        hosts.start();
        RawWebSocket client = hosts.rawClient();

        client.sendFrame(BINARY, false, new byte[] {1, 2, 3});
        client.sendFrame(CONTINUATION, true, new byte[] {4, 5, 6});

        assertError(client.readJson(WAIT), "binary-not-supported");
        assertStillAnswers(client);
    }

    @Test
    @DisplayName("permessage-deflate offered by a client is declined by default and accepted when configured")
    void perMessageDeflate() throws IOException {
        Map<String, String> offer = Map.of("Sec-WebSocket-Extensions", "permessage-deflate");
        hosts.start();
        try (RawWebSocket declined = RawWebSocket.connect(hosts.host().webSocketUri(), 4096, offer)) {
            assertThat(declined.handshakeResponse().toLowerCase()).doesNotContain("permessage-deflate");
        }

        hosts.start("server.per-message-deflate = true");
        try (RawWebSocket accepted = RawWebSocket.connect(hosts.host().webSocketUri(), 4096, offer)) {
            assertThat(accepted.handshakeResponse().toLowerCase())
                    .contains("sec-websocket-extensions: permessage-deflate");
        }
    }

    /** The connection still works: a JSON ping gets its JSON pong. */
    private static void assertStillAnswers(RawWebSocket client) throws IOException {
        client.sendText("{\"type\":\"ping\"}");
        JsonNode pong = client.readJson(WAIT);
        assertThat(pong).as("the connection closed").isNotNull();
        assertThat(pong.get("type").asText()).isEqualTo("pong");
    }

    /** Reads until the server's CLOSE frame and returns its code. */
    private static int closeCode(RawWebSocket client) throws IOException {
        while (true) {
            RawWebSocket.Frame frame = client.read(WAIT);
            assertThat(frame).as("the connection ended without a close frame").isNotNull();
            if (frame.isClose()) {
                return frame.closeCode();
            }
        }
    }
}
