package io.eventstreamer.core.internal.ws;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.auth.TokenException;
import io.eventstreamer.core.internal.auth.TokenVerifier;
import io.eventstreamer.core.internal.config.SecuritySettings;
import io.eventstreamer.core.internal.fanout.CategoryChannel;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.fanout.ResumeResult;
import io.eventstreamer.core.internal.json.Json;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import io.eventstreamer.core.internal.protocol.ServerMessage;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interprets the messages a client sends. Every mistake is answered with an {@code error}
 * message with a stable code; a refused message changes nothing.
 */
final class ProtocolHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolHandler.class);
    private static final int MAX_CLIENT_ID_LENGTH = 128;

    private final Map<String, CategoryChannel> channels;
    private final SecuritySettings security;
    private final TokenVerifier verifier;

    /** {@code verifier} is null when authentication is off. */
    ProtocolHandler(Map<String, CategoryChannel> channels, SecuritySettings security, TokenVerifier verifier) {
        this.channels = channels;
        this.security = security;
        this.verifier = verifier;
    }

    void onText(ClientSession client, String text) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            client.send(ServerMessages.error(ErrorCode.INVALID_JSON, "Message is not valid JSON"));
            return;
        } catch (NumberFormatException | ArithmeticException e) {
            // A number the parser reads but no BigDecimal can hold, e.g. 1e99999999999.
            client.send(ServerMessages.error(ErrorCode.INVALID_JSON, "Message has a number that is out of range"));
            return;
        }
        if (message == null || !message.isObject()) {
            client.send(ServerMessages.error(ErrorCode.NOT_AN_OBJECT, "Message must be a JSON object"));
            return;
        }
        JsonNode type = message.get("type");
        if (type == null || !type.isTextual()) {
            client.send(ServerMessages.error(ErrorCode.MISSING_TYPE, "Message has no \"type\" string"));
            return;
        }
        switch (type.textValue()) {
            case "subscribe":
                subscribe(client, message);
                break;
            case "unsubscribe":
                unsubscribe(client, message);
                break;
            case "ping":
                client.send(ServerMessages.encode(new ServerMessage.Pong()));
                break;
            case "pong":
                client.pongReceived();
                break;
            case "refresh":
                refresh(client, message);
                break;
            default:
                client.send(ServerMessages.error(ErrorCode.UNKNOWN_TYPE, "Unknown message type "
                        + Json.quote(type.textValue()) + "; expected subscribe, unsubscribe, refresh, ping or pong"));
        }
    }

    void onBinary(ClientSession client) {
        client.send(ServerMessages.error(ErrorCode.BINARY_NOT_SUPPORTED,
                "Binary messages are not supported; send JSON text"));
    }

    private void subscribe(ClientSession client, JsonNode message) {
        List<String> categories = categories(client, message, "subscribe");
        if (categories == null) {
            return;
        }
        JsonNode clientId = message.get("clientId");
        if (clientId != null && !clientId.isNull()) {
            if (!clientId.isTextual() || clientId.textValue().isEmpty()
                    || clientId.textValue().length() > MAX_CLIENT_ID_LENGTH) {
                client.send(ServerMessages.error(ErrorCode.INVALID_CLIENT_ID, "\"clientId\" must be a string of 1 to "
                        + MAX_CLIENT_ID_LENGTH + " characters"));
                return;
            }
        }
        Map<String, String> resume = resume(client, message, categories);
        if (resume == null || !authorized(client, message, categories)) {
            return;
        }
        if (clientId != null && clientId.isTextual()) {
            client.setClientId(clientId.textValue());
        }
        List<ResumeResult> results = new ArrayList<>();
        Map<String, String> startIds = new LinkedHashMap<>();
        // Events wait until the ack is queued: the client learns how its resume went before the replay.
        client.pauseEvents();
        try {
            for (String category : categories) {
                if (!client.addCategory(category)) {
                    continue; // already subscribed: it has been receiving this category all along
                }
                CategoryChannel channel = channels.get(category);
                String after = resume.get(category);
                if (after == null) {
                    startIds.put(category, channel.subscribeFromNow(client));
                } else {
                    results.add(channel.subscribeAfter(client, after));
                }
            }
            client.send(ack(client, message.has("resume") ? results : null, startIds));
            for (ResumeResult result : results) {
                if (!result.resumed()) {
                    client.send(ServerMessages.encode(result.gap()));
                }
            }
        } finally {
            client.resumeEvents();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} subscribed to {}{}", client, categories, resume.isEmpty() ? "" : " resuming " + resume);
        }
    }

    /**
     * With authentication on: takes the message's token if it has one (see {@link #replaceToken}),
     * and checks that the client is authenticated by an unexpired token that allows every requested
     * category. Answers with an error and returns false otherwise; nothing has changed then.
     */
    private boolean authorized(ClientSession client, JsonNode message, List<String> categories) {
        if (verifier == null) {
            return true;
        }
        JsonNode token = message.get("token");
        if (token != null && !token.isNull()) {
            return replaceToken(client, token, categories) != null;
        }
        Principal principal = client.principal();
        if (principal == null) {
            client.send(ServerMessages.error(ErrorCode.UNAUTHORIZED, "Authentication required: send a token"
                    + " (Authorization header, ?token= or \"token\" in subscribe)"));
            return false;
        }
        if (principal.expiresAt() != null && !Instant.now().isBefore(principal.expiresAt())) {
            // The sweep closes it shortly; until then it gets nothing new.
            client.send(ServerMessages.error(ErrorCode.TOKEN_EXPIRED, "The token expired; reconnect with a fresh one"));
            return false;
        }
        return allows(client, principal, categories);
    }

    /**
     * The one way a connection's token changes ({@code refresh}, or {@code subscribe} with a
     * {@code token}): the new token must verify, be for the same subject as the current one (when
     * that has one), and allow every category the connection holds as well as those requested.
     * Only then does it replace the current one, with its expiry. Returns the new principal, or
     * null after answering with an error; the connection's rights are unchanged then.
     */
    private Principal replaceToken(ClientSession client, JsonNode token, List<String> requested) {
        Principal candidate = verify(client, token);
        if (candidate == null) {
            return null;
        }
        Principal current = client.principal();
        if (current != null && current.subject() != null && !current.subject().equals(candidate.subject())) {
            client.send(ServerMessages.error(ErrorCode.INVALID_TOKEN, "The new token is for another subject"));
            return null;
        }
        Set<String> needed = new LinkedHashSet<>(client.categories());
        needed.addAll(requested);
        if (!allows(client, candidate, needed)) {
            return null;
        }
        client.authenticate(candidate);
        return candidate;
    }

    /** Whether {@code principal} allows every category of {@code categories}; answers forbidden-category if not. */
    private static boolean allows(ClientSession client, Principal principal, Collection<String> categories) {
        List<String> forbidden = new ArrayList<>();
        for (String category : categories) {
            if (!principal.mayRead(category)) {
                forbidden.add(category);
            }
        }
        if (forbidden.isEmpty()) {
            return true;
        }
        List<String> held = new ArrayList<>(forbidden);
        held.retainAll(client.categories());
        String message = "The token does not allow categor" + (forbidden.size() == 1 ? "y " : "ies ")
                + String.join(", ", forbidden);
        if (!held.isEmpty()) {
            message += "; the connection is subscribed to " + String.join(", ", held) + ": unsubscribe first";
        }
        client.send(ServerMessages.encode(
                new ServerMessage.ErrorMessage(ErrorCode.FORBIDDEN_CATEGORY, message, forbidden)));
        return false;
    }

    private Principal verify(ClientSession client, JsonNode token) {
        if (!token.isTextual()) {
            client.send(ServerMessages.error(ErrorCode.INVALID_TOKEN, "\"token\" must be a string"));
            return null;
        }
        try {
            return verifier.verify(token.textValue(), Instant.now());
        } catch (TokenException e) {
            client.send(ServerMessages.error(e.code(), e.getMessage()));
            return null;
        }
    }

    /** {@code {"type":"refresh","token":"..."}}: replaces the connection's token before it expires. */
    private void refresh(ClientSession client, JsonNode message) {
        if (verifier == null) {
            client.send(ServerMessages.error(ErrorCode.AUTH_DISABLED, "Authentication is not enabled on this server"));
            return;
        }
        Principal principal = replaceToken(client, message.path("token"), List.of());
        if (principal == null) {
            return;
        }
        client.send(ServerMessages.encode(new ServerMessage.RefreshAck(principal.expiresAt())));
    }

    /** The {@code resume} map of a subscribe (empty when absent), or null after answering with an error. */
    private static Map<String, String> resume(ClientSession client, JsonNode message, List<String> categories) {
        JsonNode node = message.get("resume");
        Map<String, String> resume = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return resume;
        }
        if (!node.isObject()) {
            client.send(ServerMessages.error(ErrorCode.INVALID_RESUME,
                    "\"resume\" must be an object of category to last event id"));
            return null;
        }
        for (Map.Entry<String, JsonNode> entry : node.properties()) {
            if (!categories.contains(entry.getKey())) {
                client.send(ServerMessages.error(ErrorCode.INVALID_RESUME, "\"resume\" names category "
                        + Json.quote(entry.getKey()) + ", which is not in \"categories\""));
                return null;
            }
            if (!entry.getValue().isTextual()) {
                client.send(ServerMessages.error(ErrorCode.INVALID_RESUME,
                        "\"resume\" ids must be strings (as received in \"id\")"));
                return null;
            }
            resume.put(entry.getKey(), entry.getValue().textValue());
        }
        return resume;
    }

    private void unsubscribe(ClientSession client, JsonNode message) {
        List<String> categories = categories(client, message, "unsubscribe");
        if (categories == null) {
            return;
        }
        for (String category : categories) {
            // Out of the channel first, so that no event of the category is queued after
            // removeCategory has dropped the queued ones.
            if (client.categories().contains(category)) {
                channels.get(category).unsubscribe(client);
                client.removeCategory(category);
            }
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} unsubscribed from {}", client, categories);
        }
        client.send(ServerMessages.encode(new ServerMessage.UnsubscriptionAck(client.categories())));
    }

    /** The valid categories of a (un)subscribe message, or null after answering with an error. */
    private List<String> categories(ClientSession client, JsonNode message, String type) {
        JsonNode node = message.get("categories");
        if (node == null || !node.isArray() || node.isEmpty()) {
            client.send(ServerMessages.error(ErrorCode.INVALID_CATEGORIES,
                    "\"categories\" must be a non-empty array of category names"));
            return null;
        }
        if (node.size() > security.maxCategoriesPerSubscribe()) {
            client.send(ServerMessages.error(ErrorCode.TOO_MANY_CATEGORIES,
                    "At most " + security.maxCategoriesPerSubscribe() + " categories per " + type));
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode element : (ArrayNode) node) {
            if (!element.isTextual()) {
                client.send(ServerMessages.error(ErrorCode.INVALID_CATEGORIES,
                        "\"categories\" must contain only strings"));
                return null;
            }
            names.add(element.textValue());
        }
        for (String name : names) {
            if (!channels.containsKey(name)) {
                client.send(ServerMessages.error(ErrorCode.UNKNOWN_CATEGORY, "Unknown category " + Json.quote(name)
                        + " in " + type + "; available: " + String.join(", ", channels.keySet())));
                return null;
            }
        }
        return new ArrayList<>(names);
    }

    /**
     * The {@code subscription-ack}: every category the client has, where each one subscribed
     * without resume starts, and how each resume went ({@code resumed} null when none was asked).
     */
    private static byte[] ack(ClientSession client, List<ResumeResult> resumed, Map<String, String> startIds) {
        List<ServerMessage.SubscriptionAck.Resume> resume = null;
        if (resumed != null) {
            resume = new ArrayList<>(resumed.size());
            for (ResumeResult result : resumed) {
                resume.add(result.ackEntry());
            }
        }
        return ServerMessages.encode(new ServerMessage.SubscriptionAck(client.categories(), startIds, resume));
    }
}
