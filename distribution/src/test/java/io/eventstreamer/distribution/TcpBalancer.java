package io.eventstreamer.distribution;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal round-robin TCP load balancer on a loopback port, standing in for nginx in tests: each
 * connection goes to the next backend that accepts it (a dead one is skipped), bytes are copied both
 * ways, and when either side closes both are closed.
 */
final class TcpBalancer implements AutoCloseable {
    private final ServerSocket server;
    private final List<Integer> backends;
    private final AtomicInteger next = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    TcpBalancer(List<Integer> backendPorts) throws IOException {
        this.backends = List.copyOf(backendPorts);
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "balancer-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                Socket backend = connectToBackend();
                if (backend == null) {
                    client.close();
                    continue;
                }
                sockets.add(backend);
                pipe(client, backend);
                pipe(backend, client);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private Socket connectToBackend() {
        for (int i = 0; i < backends.size(); i++) {
            int port = backends.get(Math.floorMod(next.getAndIncrement(), backends.size()));
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
                return socket;
            } catch (IOException e) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to release
                }
            }
        }
        return null;
    }

    private static void pipe(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // the other side went away: close both below
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "balancer-pipe");
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
        sockets.forEach(TcpBalancer::closeQuietly);
    }
}
