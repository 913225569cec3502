package io.eventstreamer.core.internal.fanout;

import java.util.Arrays;

/**
 * The clients subscribed to one category: an array replaced on every change, so that fan-out
 * reads it without locking (subscriptions change rarely, events are published often).
 */
final class Subscribers {
    private static final ClientSession[] NONE = new ClientSession[0];

    private volatile ClientSession[] clients = NONE;

    ClientSession[] snapshot() {
        return clients;
    }

    int count() {
        return clients.length;
    }

    synchronized boolean add(ClientSession client) {
        ClientSession[] current = clients;
        for (ClientSession c : current) {
            if (c == client) {
                return false;
            }
        }
        ClientSession[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = client;
        clients = next;
        return true;
    }

    synchronized boolean remove(ClientSession client) {
        ClientSession[] current = clients;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == client) {
                ClientSession[] next = new ClientSession[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                clients = next;
                return true;
            }
        }
        return false;
    }
}
