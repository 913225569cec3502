package io.eventstreamer.core.internal.fanout;

import io.eventstreamer.core.internal.broker.Broker;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The connected clients, with the capacity check. */
public final class ClientRegistry implements Broker.Clients {
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

    /** The transports' names, as {@link Transport#name()} gives them: the labels of status and metrics. */
    public static final List<String> TRANSPORTS = List.of("websocket", "sse");

    /** Connected clients of one transport ({@link Transport#name()}); counts them, for a scrape or a status request. */
    public int count(String transport) {
        int count = 0;
        for (ClientSession client : clients.values()) {
            if (client.transportName().equals(transport)) {
                count++;
            }
        }
        return count;
    }

    public Collection<ClientSession> clients() {
        return Collections.unmodifiableCollection(clients.values());
    }

    /**
     * clientId to categories, in connection order. Each clientId is listed as itself once; further
     * connections that share it appear as {@code id#2}, {@code id#3}..., skipping any key that
     * another connection's clientId already is (a client may well call itself {@code dash#2}), so
     * every connection has its own key whatever the order in which they connected.
     */
    public Map<String, List<String>> clientDetails() {
        List<ClientSession> ordered = new ArrayList<>(clients.values());
        ordered.sort(Comparator.comparingLong(ClientSession::connectionNumber));
        // Read once: a client may change its id (subscribe with clientId) while this runs.
        String[] ids = new String[ordered.size()];
        String[] keys = new String[ordered.size()];
        Set<String> taken = new HashSet<>();
        for (int i = 0; i < keys.length; i++) {
            ids[i] = ordered.get(i).clientId();
            if (taken.add(ids[i])) {
                keys[i] = ids[i];
            }
        }
        // Where the search for a free suffix of each shared id resumes: each n is tried once per id.
        Map<String, Integer> nextSuffix = new HashMap<>();
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] == null) {
                String id = ids[i];
                int n = nextSuffix.getOrDefault(id, 2);
                while (taken.contains(id + "#" + n)) {
                    n++;
                }
                keys[i] = id + "#" + n;
                taken.add(keys[i]);
                nextSuffix.put(id, n + 1);
            }
        }
        Map<String, List<String>> details = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            details.put(keys[i], ordered.get(i).categories());
        }
        return details;
    }

    @Override
    public void streamInterrupted() {
        tellSubscribed(ServerMessages.encode(new ServerMessage.StreamInterrupted()));
    }

    @Override
    public void streamRestored() {
        tellSubscribed(ServerMessages.encode(new ServerMessage.StreamRestored()));
    }

    private void tellSubscribed(byte[] message) {
        for (ClientSession session : clients()) {
            if (!session.categories().isEmpty()) {
                session.send(message);
            }
        }
    }
}
