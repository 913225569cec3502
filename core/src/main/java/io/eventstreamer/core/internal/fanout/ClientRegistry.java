package io.eventstreamer.core.internal.fanout;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients, with the capacity check. */
public final class ClientRegistry {
    private final int maxClients;
    private final Map<Long, ClientSession> clients = new ConcurrentHashMap<>();
    private final AtomicInteger reserved = new AtomicInteger();
    private final AtomicLong connectionNumbers = new AtomicLong();

    public ClientRegistry(int maxClients) {
        this.maxClients = maxClients;
    }

    /** Takes one of the {@code max-clients} places; false when the host is full. */
    public boolean reserve() {
        while (true) {
            int n = reserved.get();
            if (n >= maxClients) {
                return false;
            }
            if (reserved.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a place taken with {@link #reserve()}. */
    public void release() {
        reserved.decrementAndGet();
    }

    public long nextConnectionNumber() {
        return connectionNumbers.incrementAndGet();
    }

    public void add(ClientSession client) {
        clients.put(client.connectionNumber(), client);
    }

    public boolean remove(ClientSession client) {
        return clients.remove(client.connectionNumber(), client);
    }

    public int count() {
        return clients.size();
    }

    public Collection<ClientSession> clients() {
        return Collections.unmodifiableCollection(clients.values());
    }

    /**
     * clientId to categories, in connection order. Connections that share a clientId appear as
     * {@code id}, {@code id#2}, {@code id#3}...
     */
    public Map<String, List<String>> clientDetails() {
        Map<String, List<String>> details = new LinkedHashMap<>();
        clients.values().stream()
                .sorted((a, b) -> Long.compare(a.connectionNumber(), b.connectionNumber()))
                .forEach(c -> {
                    String key = c.clientId();
                    for (int n = 2; details.containsKey(key); n++) {
                        key = c.clientId() + "#" + n;
                    }
                    details.put(key, c.categories());
                });
        return details;
    }
}
