package io.eventstreamer.core.it.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free loopback port in front of a Redis server that holds every new connection
 * for a while before passing it on: it makes a host's connection to Redis as slow to open as a new
 * process's first one is (class loading, DNS, TLS, a remote Redis), which a host in the test's
 * warm JVM otherwise opens in a few milliseconds. Once open, bytes pass without delay.
 */
final class SlowConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final Duration delay;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    SlowConnectProxy(int targetPort, Duration delay) throws IOException {
        this.targetPort = targetPort;
        this.delay = delay;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon(this::accept, "slow-connect-proxy-accept");
    }

    String uri() {
        return "redis://127.0.0.1:" + server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                daemon(() -> connectLater(client), "slow-connect-proxy-connect");
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void connectLater(Socket client) {
        try {
            Thread.sleep(delay.toMillis()); // the simulated latency itself, not a synchronization
            Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
            sockets.add(target);
            daemon(() -> pipe(client, target), "slow-connect-proxy-pipe");
            daemon(() -> pipe(target, client), "slow-connect-proxy-pipe");
        } catch (IOException | InterruptedException e) {
            closeQuietly(client);
        }
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side went away: close both below
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
        sockets.forEach(SlowConnectProxy::closeQuietly);
    }
}
