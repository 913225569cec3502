package io.eventstreamer.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** One selector thread of the load client; every connection belongs to one loop. */
final class ClientLoop implements Runnable {
    private static final int READ_BUFFER_BYTES = 256 * 1024;

    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(READ_BUFFER_BYTES);
    private final Thread thread;
    private final List<Subscriber> neverReading = new ArrayList<>();
    /** How often connections that never read send a sign of life (default: a third of the 30 s heartbeat). */
    private final long signOfLifeNanos;
    private long nextSignOfLife;
    private volatile boolean running = true;

    ClientLoop(String name, Duration signOfLife) {
        this.signOfLifeNanos = signOfLife.toNanos();
        this.nextSignOfLife = System.nanoTime() + signOfLifeNanos;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this, name);
        thread.setDaemon(true);
        thread.start();
    }

    Selector selector() {
        return selector;
    }

    /** Runs {@code task} on this loop's thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Keeps a connection that never reads alive (loop thread only). */
    void keepAlive(Subscriber connection) {
        neverReading.add(connection);
    }

    void stop() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5_000);
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        } catch (IOException e) {
            // closing anyway
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        while (running) {
            try {
                selector.select(100);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runnable task;
            while ((task = tasks.poll()) != null) {
                task.run();
            }
            if (!neverReading.isEmpty() && System.nanoTime() - nextSignOfLife >= 0) {
                nextSignOfLife = System.nanoTime() + signOfLifeNanos;
                for (Subscriber c : neverReading) {
                    c.sendSignOfLife();
                }
            }
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey key = it.next();
                it.remove();
                Subscriber c = (Subscriber) key.attachment();
                if (!key.isValid()) {
                    continue;
                }
                int ready = key.readyOps();
                if ((ready & SelectionKey.OP_CONNECT) != 0) {
                    c.onConnectable();
                }
                if (key.isValid() && (ready & SelectionKey.OP_READ) != 0) {
                    c.onReadable(readBuffer);
                }
                if (key.isValid() && (ready & SelectionKey.OP_WRITE) != 0) {
                    c.onWritable();
                }
            }
        }
    }
}
