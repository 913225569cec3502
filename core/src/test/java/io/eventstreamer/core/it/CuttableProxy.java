package io.eventstreamer.core.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on a free loopback port in front of a host, whose connections a test can cut
 * (both sockets closed at once, as a network failure would) and which can refuse new ones for a
 * while (accepted and closed at once). It keeps the head of every request that passed through it,
 * so a test can see what a browser sent when it reconnected (e.g. its {@code Last-Event-ID}).
 */
public final class CuttableProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final List<String> requestHeads = new CopyOnWriteArrayList<>();
    private final AtomicInteger refusedConnections = new AtomicInteger();
    private volatile boolean refusing;
    private volatile boolean closed;

    public CuttableProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "cuttable-proxy-accept");
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Closes every connection passing through now; new ones are still accepted unless {@link #refuse}. */
    public void cut() {
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** While true, a new connection is closed as soon as it is accepted, before anything is read. */
    public void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** How many connections were closed at once because of {@link #refuse}. */
    public int refusedConnections() {
        return refusedConnections.get();
    }

    /** The head (request line and headers) of every request forwarded, in order of arrival. */
    public List<String> requestHeads() {
        return List.copyOf(requestHeads);
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                if (refusing) {
                    refusedConnections.incrementAndGet();
                    closeQuietly(client);
                    continue;
                }
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                open.add(client);
                open.add(target);
                daemon(() -> pipe(client, target, true), "cuttable-proxy-up");
                daemon(() -> pipe(target, client, false), "cuttable-proxy-down");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean request) {
        byte[] buffer = new byte[16384];
        ByteArrayOutputStream head = request ? new ByteArrayOutputStream() : null;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (head != null) {
                    head.write(buffer, 0, n);
                    String text = head.toString(StandardCharsets.ISO_8859_1);
                    int end = text.indexOf("\r\n\r\n");
                    if (end >= 0) {
                        requestHeads.add(text.substring(0, end));
                        head = null; // a GET has no body; a second request on the connection isn't expected
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away or was cut: close both below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void daemon(Runnable task, String name) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        cut();
    }
}
