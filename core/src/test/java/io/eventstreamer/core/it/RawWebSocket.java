package io.eventstreamer.core.it;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * A WebSocket client on a plain {@link Socket}: it does the opening handshake by hand, and then
 * reads only when a test asks it to. That makes it the most reliable slow client there is: once it
 * stops reading, the kernel buffers fill and the server's writes to it stall.
 *
 * <p>It never answers anything by itself (no PONG, no close reply), so it is also a silent client.
 */
public final class RawWebSocket implements Closeable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int OP_CONTINUATION = 0x0;
    private static final int OP_TEXT = 0x1;
    private static final int OP_BINARY = 0x2;
    private static final int OP_CLOSE = 0x8;

    /** One message read from the server: a complete text or binary message, or a control frame. */
    public record Frame(int opcode, byte[] payload) {
        public boolean isText() {
            return opcode == OP_TEXT;
        }

        public boolean isClose() {
            return opcode == OP_CLOSE;
        }

        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            return TestClient.parse(text());
        }

        /** The close code of a CLOSE frame, or 1005 (no status) when it carries none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private String handshakeResponse;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = socket.getOutputStream();
    }

    /**
     * Connects and completes the opening handshake.
     *
     * @param receiveBufferSize the socket's receive buffer in bytes; small values make the client
     *        stall the server sooner
     */
    public static RawWebSocket connect(URI webSocketUri, int receiveBufferSize) throws IOException {
        return connect(webSocketUri, receiveBufferSize, Map.of());
    }

    /** Connects with extra upgrade request headers, e.g. {@code Sec-WebSocket-Extensions}. */
    public static RawWebSocket connect(URI webSocketUri, int receiveBufferSize, Map<String, String> headers)
            throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBufferSize);
        socket.connect(new InetSocketAddress(webSocketUri.getHost(), webSocketUri.getPort()), 10_000);
        socket.setSoTimeout((int) TestClient.WAIT.toMillis());
        RawWebSocket ws = new RawWebSocket(socket);
        ws.handshake(webSocketUri, headers);
        return ws;
    }

    private void handshake(URI uri, Map<String, String> headers) throws IOException {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        StringBuilder request = new StringBuilder("GET " + uri.getRawPath() + " HTTP/1.1\r\n"
                + "Host: " + uri.getHost() + ":" + uri.getPort() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String head = readResponseHead();
        if (!head.startsWith("HTTP/1.1 101")) {
            throw new IOException("WebSocket handshake refused: " + head);
        }
        handshakeResponse = head;
    }

    /** The status line and headers of the server's 101 response. */
    public String handshakeResponse() {
        return handshakeResponse;
    }

    private String readResponseHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed during the handshake: " + head);
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    /** Sends a masked text frame, as every client must. */
    public void sendText(String text) throws IOException {
        sendFrame(OP_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Sends a masked frame with any opcode and payload bytes (which need not be valid UTF-8). */
    public void sendFrame(int opcode, byte[] payload) throws IOException {
        sendFrame(opcode, true, payload);
    }

    /** Sends a masked frame; {@code fin} false for all but the last frame of a fragmented message. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        out.write(maskedFrame(opcode, fin, payload));
        out.flush();
    }

    /**
     * {@code count} copies of one masked frame back to back, to be written with {@link #sendRaw} in
     * one call: a flooding client's writes, without building a frame per send.
     */
    public static byte[] repeatedFrame(int opcode, boolean fin, byte[] payload, int count) {
        byte[] frame = maskedFrame(opcode, fin, payload);
        byte[] out = new byte[frame.length * count];
        for (int i = 0; i < count; i++) {
            System.arraycopy(frame, 0, out, i * frame.length, frame.length);
        }
        return out;
    }

    /** One client frame (RFC 6455 §5.2): header, a random mask and the masked payload. */
    private static byte[] maskedFrame(int opcode, boolean fin, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        frame.put((byte) ((fin ? 0x80 : 0) | opcode));
        if (payload.length < 126) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.put(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ mask[i % 4]));
        }
        return java.util.Arrays.copyOf(frame.array(), frame.position());
    }

    /** Writes bytes as they are, e.g. frames built with {@link #repeatedFrame}. */
    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Reads the next message (fragments joined) or control frame.
     *
     * @return the frame, or {@code null} when the server closed the TCP connection
     * @throws SocketTimeoutException when nothing arrives within {@code timeout}
     */
    public Frame read(Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
        try {
            ByteArrayOutputStream message = null;
            int messageOpcode = -1;
            while (true) {
                int b0 = in.read();
                if (b0 < 0) {
                    return null;
                }
                boolean fin = (b0 & 0x80) != 0;
                int opcode = b0 & 0x0F;
                int b1 = in.readUnsignedByte();
                long length = b1 & 0x7F;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                byte[] mask = null;
                if ((b1 & 0x80) != 0) {
                    mask = new byte[4];
                    in.readFully(mask);
                }
                byte[] payload = new byte[Math.toIntExact(length)];
                in.readFully(payload);
                if (mask != null) {
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                }
                if (opcode >= 0x8) {
                    return new Frame(opcode, payload);
                }
                if (opcode != OP_CONTINUATION) {
                    messageOpcode = opcode;
                    message = new ByteArrayOutputStream();
                }
                if (message == null) {
                    throw new IOException("continuation frame without a message");
                }
                message.write(payload);
                if (fin) {
                    return new Frame(messageOpcode, message.toByteArray());
                }
            }
        } catch (EOFException e) {
            return null;
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            // A reset connection is a closed connection, as far as the tests are concerned.
            if (socket.isClosed()) {
                throw e;
            }
            return null;
        }
    }

    /** Reads the next text message, skipping control frames; {@code null} once the connection is closed. */
    public JsonNode readJson(Duration timeout) throws IOException {
        while (true) {
            Frame frame = read(timeout);
            if (frame == null || frame.isClose()) {
                return null;
            }
            if (frame.opcode() == OP_TEXT) {
                return frame.json();
            }
            if (frame.opcode() == OP_BINARY) {
                throw new IOException("unexpected binary message");
            }
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
