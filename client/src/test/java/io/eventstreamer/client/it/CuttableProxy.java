package io.eventstreamer.client.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback between a client and a host, so that a test can break connections the
 * way networks do: {@link #cutAll()} resets every connection at once (no close handshake),
 * {@link #freezeAll()} silently stops forwarding on them (a dead peer), and {@link #mode} decides
 * what happens to new connections.
 */
final class CuttableProxy implements AutoCloseable {
    /** What the proxy does with a new connection. */
    enum Mode {
        /** Forward it to the host. */
        FORWARD,
        /** Reset it at once, as if nothing listened. */
        REFUSE,
        /** Answer the upgrade request with 503 and {@code Retry-After}, as a draining server does. */
        RESPOND_503
    }

    private static final byte[] SERVICE_UNAVAILABLE = ("HTTP/1.1 503 Service Unavailable\r\n"
            + "Retry-After: 1\r\nContent-Type: application/json\r\nContent-Length: 21\r\nConnection: close\r\n\r\n"
            + "{\"status\":\"draining\"}").getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final Thread acceptor;
    private volatile Mode mode = Mode.FORWARD;

    CuttableProxy(int targetPort) throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        this.target = new InetSocketAddress(loopback, targetPort);
        this.listener = new ServerSocket(0, 50, loopback);
        this.acceptor = new Thread(this::accept, "cuttable-proxy-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code ws://127.0.0.1:<proxy port>/ws}. */
    URI webSocketUri() {
        return URI.create("ws://" + listener.getInetAddress().getHostAddress() + ":" + listener.getLocalPort() + "/ws");
    }

    void mode(Mode mode) {
        this.mode = mode;
    }

    /** Resets every open connection (RST on both sides); returns how many there were. */
    int cutAll() {
        int cut = 0;
        for (Link link : links) {
            if (link.close()) {
                cut++;
            }
        }
        return cut;
    }

    /** Stops forwarding on every open connection without closing it: both ends see silence. */
    void freezeAll() {
        links.forEach(link -> link.frozen = true);
    }

    /** Connections forwarded to the host so far. */
    int forwarded() {
        return forwarded.get();
    }

    /** Connections refused or answered with 503 so far. */
    int refused() {
        return refused.get();
    }

    int openConnections() {
        return links.size();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            Mode current = mode;
            if (current == Mode.FORWARD) {
                daemon("proxy-connect", () -> forward(client));
            } else {
                refused.incrementAndGet();
                daemon("proxy-refuse", () -> refuse(client, current));
            }
        }
    }

    private void forward(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(target, 5_000);
        } catch (IOException e) {
            reset(client);
            reset(upstream);
            return;
        }
        forwarded.incrementAndGet();
        Link link = new Link(client, upstream);
        links.add(link);
        daemon("proxy-up", () -> link.pump(client, upstream));
        daemon("proxy-down", () -> link.pump(upstream, client));
    }

    private static void refuse(Socket client, Mode mode) {
        try (client) {
            if (mode == Mode.RESPOND_503) {
                readRequestHead(client.getInputStream());
                OutputStream out = client.getOutputStream();
                out.write(SERVICE_UNAVAILABLE);
                out.flush();
                client.shutdownOutput();
            } else {
                client.setSoLinger(true, 0);
            }
        } catch (IOException e) {
            // The client gave up first: it was refused either way.
        }
    }

    private static void readRequestHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        int b;
        while (matched < end.length && (b = in.read()) >= 0) {
            if (b == end[matched]) {
                matched++;
            } else if (b == '\r') {
                matched = 1;
            } else {
                matched = 0;
            }
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (SocketException e) {
            // not connected: closing is enough
        }
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static void daemon(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** One proxied connection: the client's socket and the one to the host. */
    private final class Link {
        private final Socket client;
        private final Socket upstream;
        private final AtomicInteger closed = new AtomicInteger();
        private volatile boolean frozen;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void pump(Socket from, Socket to) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (!frozen) {
                        out.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // cut, or reset by an end
            }
            close();
        }

        /** Resets both sockets; {@code true} for the call that did it. */
        boolean close() {
            if (closed.getAndIncrement() > 0) {
                return false;
            }
            links.remove(this);
            reset(client);
            reset(upstream);
            return true;
        }
    }
}
