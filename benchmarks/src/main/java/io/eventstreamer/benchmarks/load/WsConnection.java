package io.eventstreamer.benchmarks.load;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One WebSocket subscriber: the upgrade, a {@code subscribe} message, then RFC 6455 frames parsed
 * in place; it answers the server's pings (the protocol's and the frames').
 */
final class WsConnection extends Subscriber {
    private static final byte[] PONG_MESSAGE = "{\"type\":\"pong\"}".getBytes(StandardCharsets.US_ASCII);

    WsConnection(LoadClient client, ClientLoop loop, Kind kind, int number) {
        super(client, loop, kind, number);
    }

    @Override
    String request() {
        return "GET " + client.options().wsPath + " HTTP/1.1\r\n"
                + "Host: " + client.hostHeader() + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: ZXZlbnQtc3RyZWFtZXItYg==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
    }

    @Override
    String openStatus() {
        return "HTTP/1.1 101";
    }

    @Override
    boolean opened(String header) {
        sendText(client.subscribeMessage(number));
        return true;
    }

    /** Parses whole frames in a[p, end); returns where the first incomplete frame starts. */
    @Override
    int body(byte[] a, int p, int end) {
        while (end - p >= 2 && state == State.OPEN) {
            int opcode = a[p] & 0x0F;
            long length = a[p + 1] & 0x7F;
            int header = 2;
            if (length == 126) {
                if (end - p < 4) {
                    break;
                }
                length = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                header = 4;
            } else if (length == 127) {
                if (end - p < 10) {
                    break;
                }
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (a[p + i] & 0xFF);
                }
                header = 10;
            }
            if (header + length > a.length / 2) {
                fail("frame of " + length + " bytes is larger than the load client's buffer");
                return end;
            }
            if (end - p < header + length) {
                break;
            }
            int start = p + header;
            int len = (int) length;
            switch (opcode) {
                case 0x1:
                case 0x0:
                    message(a, start, len);
                    break;
                case 0x8:
                    sendFrame(0x8, a, start, Math.min(len, 2));
                    closed(true);
                    return end;
                case 0x9:
                    sendFrame(0xA, a, start, len);
                    break;
                default:
                    break;
            }
            p = start + len;
        }
        return p;
    }

    @Override
    void ping() {
        sendText(PONG_MESSAGE);
    }

    /**
     * An unsolicited {@code pong}, which the server counts as a sign of life (protocol: "any frame
     * from the client"). Without it, a client that never reads never answers a heartbeat and the
     * server closes it as stale after {@code connection-timeout}.
     */
    @Override
    void sendSignOfLife() {
        sendText(PONG_MESSAGE);
    }

    @Override
    void close(boolean clean) {
        if (state == State.CLOSED) {
            return;
        }
        if (clean && state == State.OPEN) {
            sendFrame(0x8, new byte[] {0x03, (byte) 0xE8}, 0, 2);
        } else {
            reset();
        }
        closed(false);
    }

    private void sendText(byte[] message) {
        sendFrame(0x1, message, 0, message.length);
    }

    /** A masked frame, as clients must send. */
    private void sendFrame(int opcode, byte[] payload, int offset, int length) {
        ByteBuffer frame = ByteBuffer.allocate(length + 14);
        frame.put((byte) (0x80 | opcode));
        if (length < 126) {
            frame.put((byte) (0x80 | length));
        } else {
            frame.put((byte) (0x80 | 126)).putShort((short) length);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        frame.putInt(mask);
        for (int i = 0; i < length; i++) {
            frame.put((byte) (payload[offset + i] ^ (mask >>> (8 * (3 - (i & 3))))));
        }
        frame.flip();
        write(frame);
    }
}
