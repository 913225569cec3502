package io.eventstreamer.benchmarks.load;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

/**
 * POSTs over plain HTTP/1.1 keep-alive connections, one request in flight per connection.
 *
 * <p>The publishing thread writes each request itself, so a due event leaves without a hand-off to
 * another thread; each connection's own thread then waits for the answer. The JDK's HttpClient
 * passes every request and response through a selector thread and an executor, several thread
 * switches per POST on the load generator's single core, which delayed and limited publishing.
 */
final class HttpPoster implements AutoCloseable {
    /** What a POST came to: the status (0 when it failed before an answer) and the body or the failure. */
    interface Answer {
        void answered(int status, String bodyOrFailure);
    }

    /** How long an answer may take before the POST counts as failed (the connection is dropped). */
    private static final int ANSWER_TIMEOUT_MILLIS = 30_000;

    private final InetSocketAddress address;
    private final String head;
    private final BlockingQueue<Connection> idle;
    private final Connection[] connections;

    HttpPoster(URI uri, int connections) {
        this.address = new InetSocketAddress(uri.getHost(), uri.getPort() < 0 ? 80 : uri.getPort());
        this.head = "POST " + uri.getRawPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + address.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: ";
        this.idle = new ArrayBlockingQueue<>(connections);
        this.connections = new Connection[connections];
        for (int i = 0; i < connections; i++) {
            this.connections[i] = new Connection("load-publisher-" + (i + 1));
            idle.add(this.connections[i]);
        }
    }

    /**
     * Sends {@code body} on an idle connection, waiting for one to be free; {@code answer} runs on
     * that connection's thread when the response (or a failure) arrives.
     */
    void post(byte[] body, Answer answer) throws InterruptedException {
        Connection c = idle.take();
        c.send(body, answer);
    }

    /** Waits until no POST is in flight, at most {@code seconds}. */
    boolean awaitIdle(long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        List<Connection> taken = new ArrayList<>(connections.length);
        try {
            while (taken.size() < connections.length) {
                Connection c = idle.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (c == null) {
                    return false;
                }
                taken.add(c);
            }
            return true;
        } finally {
            idle.addAll(taken);
        }
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            c.close();
        }
    }

    private final class Connection implements Runnable {
        private final SynchronousQueue<Answer> pending = new SynchronousQueue<>();
        private final Thread thread;
        private Socket socket;
        private OutputStream out;
        private InputStream in;
        private volatile boolean closed;

        Connection(String name) {
            thread = new Thread(this, name);
            thread.setDaemon(true);
            thread.start();
        }

        void send(byte[] body, Answer answer) throws InterruptedException {
            try {
                if (socket == null) {
                    open();
                }
                out.write((head + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            } catch (IOException e) {
                drop();
                answer.answered(0, e.toString());
                idle.add(this);
                return;
            }
            pending.put(answer);
        }

        private void open() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.setSoTimeout(ANSWER_TIMEOUT_MILLIS);
            s.connect(address, 10_000);
            socket = s;
            out = new java.io.BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            in = new java.io.BufferedInputStream(s.getInputStream(), 16 * 1024);
        }

        @Override
        public void run() {
            while (!closed) {
                Answer answer;
                try {
                    answer = pending.take();
                } catch (InterruptedException e) {
                    return;
                }
                int status;
                String body;
                try {
                    status = readStatusAndHeaders();
                    body = readBody();
                } catch (IOException | RuntimeException e) {
                    drop();
                    status = 0;
                    body = e.toString();
                }
                if (status != 0 && connectionClose) {
                    drop();
                }
                // Free before answering: the publisher may be waiting for a connection.
                idle.add(this);
                answer.answered(status, body);
            }
        }

        private int contentLength;
        private boolean chunked;
        private boolean connectionClose;

        private int readStatusAndHeaders() throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 response: " + status);
            }
            contentLength = -1;
            chunked = false;
            connectionClose = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim();
                String value = header.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    contentLength = Integer.parseInt(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding") && value.equalsIgnoreCase("chunked")) {
                    chunked = true;
                } else if (name.equalsIgnoreCase("Connection") && value.equalsIgnoreCase("close")) {
                    connectionClose = true;
                }
            }
            return Integer.parseInt(status.substring(9, 12));
        }

        private String readBody() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line().split(";")[0].trim(), 16); size > 0;
                        size = Integer.parseInt(line().split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (contentLength >= 0) {
                byte[] bytes = in.readNBytes(contentLength);
                if (bytes.length < contentLength) {
                    throw new EOFException("response body ended early");
                }
                body.write(bytes);
            } else {
                connectionClose = true;
                body.write(in.readAllBytes());
            }
            return body.toString(StandardCharsets.UTF_8);
        }

        private String line() throws IOException {
            StringBuilder s = new StringBuilder(64);
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("connection closed by the server");
                }
                if (b != '\r') {
                    s.append((char) b);
                }
            }
            return s.toString();
        }

        /** Forgets the connection; the next POST on this slot opens a new one. */
        private void drop() {
            Socket s = socket;
            socket = null;
            if (s != null) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing anyway
                }
            }
        }

        void close() {
            closed = true;
            thread.interrupt();
            drop();
        }
    }
}
