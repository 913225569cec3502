package io.eventstreamer.core.internal.session;

import static java.util.Objects.requireNonNull;

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
import io.eventstreamer.core.internal.protocol.ServerMessage.ErrorMessage;
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
 * What a client may ask of its session, whatever the transport: subscribe (with resume and a
 * token), unsubscribe, and replace its token. A WebSocket client asks with JSON messages
 * ({@code ws.ProtocolHandler} reads them); a Server-Sent Events client with its request's
 * {@code categories}, {@code Last-Event-ID} and token.
 *
 * <p>Each step checks the whole request first and changes nothing when it refuses: it returns the
 * {@code error} to give the client (the transport sends it, or answers the request with it), or
 * null when it was done. A subscription's answer (the ack, then a {@code gap} per failed resume) is
 * queued to the client before any event of the subscription.
 */
public final class Subscriptions {
    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);
    public static final int MAX_CLIENT_ID_LENGTH = 128;

    private final Map<String, CategoryChannel> channels;
    private final SecuritySettings security;
    private final TokenVerifier verifier;

    /** {@code verifier} is null when authentication is off. */
    public Subscriptions(Map<String, CategoryChannel> channels, SecuritySettings security, TokenVerifier verifier) {
        this.channels = channels;
        this.security = security;
        this.verifier = verifier;
    }

    /**
     * A subscribe: the categories (in order, without repeats), the client id to take (null: keep
     * the current one), where to resume each category (empty: none), whether the client asked to
     * resume at all (the ack then says how each resume went), and a token to authenticate with
     * (null: the connection's own).
     */
    public record Request(List<String> categories, String clientId, Map<String, String> resume, boolean resumeAsked,
            String token) {
        public Request {
            categories = List.copyOf(requireNonNull(categories, "categories is null"));
            resume = Map.copyOf(requireNonNull(resume, "resume is null"));
        }
    }

    /** Whether authentication is on. */
    public boolean authEnabled() {
        return verifier != null;
    }

    /**
     * The error for a list of category names that can't be (un)subscribed: empty, more than one
     * message may name, or unknown. Null when they are fine.
     */
    public ErrorMessage checkCategories(Collection<String> names, String type) {
        if (names.isEmpty()) {
            return new ErrorMessage(ErrorCode.INVALID_CATEGORIES,
                    "\"categories\" must be a non-empty array of category names");
        }
        if (names.size() > security.maxCategoriesPerSubscribe()) {
            return new ErrorMessage(ErrorCode.TOO_MANY_CATEGORIES,
                    "At most " + security.maxCategoriesPerSubscribe() + " categories per " + type);
        }
        for (String name : names) {
            if (!channels.containsKey(name)) {
                return new ErrorMessage(ErrorCode.UNKNOWN_CATEGORY, "Unknown category " + Json.quote(name)
                        + " in " + type + "; available: " + String.join(", ", channels.keySet()));
            }
        }
        return null;
    }

    /** The error for a client id that isn't one (empty or too long), or null. */
    public static ErrorMessage checkClientId(String clientId) {
        if (clientId != null && (clientId.isEmpty() || clientId.length() > MAX_CLIENT_ID_LENGTH)) {
            return new ErrorMessage(ErrorCode.INVALID_CLIENT_ID,
                    "\"clientId\" must be a string of 1 to " + MAX_CLIENT_ID_LENGTH + " characters");
        }
        return null;
    }

    /**
     * Subscribes {@code client}: checks the request (categories, client id, resume, authorization),
     * then adds each category it doesn't have yet, from now or after its resume id, and queues the
     * ack and the gaps of failed resumes before any event. Returns the refusal, or null.
     */
    public ErrorMessage subscribe(ClientSession client, Request request) {
        List<String> categories = request.categories();
        ErrorMessage refused = checkCategories(categories, "subscribe");
        if (refused == null) {
            refused = checkClientId(request.clientId());
        }
        if (refused == null) {
            refused = checkResume(request);
        }
        if (refused == null) {
            refused = authorize(client, request.token(), categories);
        }
        if (refused != null) {
            return refused;
        }
        if (request.clientId() != null) {
            client.setClientId(request.clientId());
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
                String after = request.resume().get(category);
                if (after == null) {
                    startIds.put(category, channel.subscribeFromNow(client));
                } else {
                    results.add(channel.subscribeAfter(client, after));
                }
            }
            client.send(ack(client, request.resumeAsked() ? results : null, startIds));
            for (ResumeResult result : results) {
                if (!result.resumed()) {
                    client.send(ServerMessages.encode(result.gap()));
                }
            }
        } finally {
            client.resumeEvents();
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{} subscribed to {}{}", client, categories,
                    request.resume().isEmpty() ? "" : " resuming " + request.resume());
        }
        return null;
    }

    /**
     * The refusal of {@code request} for a connection that has nothing yet and is authenticated as
     * {@code principal} (null: no token), or null when {@link #subscribe} would accept it: for a
     * transport that subscribes from its request and answers a refusal before the stream starts.
     */
    public ErrorMessage check(Request request, Principal principal) {
        ErrorMessage refused = checkCategories(request.categories(), "subscribe");
        if (refused == null) {
            refused = checkClientId(request.clientId());
        }
        if (refused == null) {
            refused = checkResume(request);
        }
        if (refused != null || verifier == null) {
            return refused;
        }
        if (principal == null) {
            return new ErrorMessage(ErrorCode.UNAUTHORIZED,
                    "Authentication required: send a token (Authorization header or ?token=)");
        }
        try {
            checkAllows(List.of(), principal, request.categories());
            return null;
        } catch (Refused e) {
            return e.error;
        }
    }

    private static ErrorMessage checkResume(Request request) {
        for (String category : request.resume().keySet()) {
            if (!request.categories().contains(category)) {
                return new ErrorMessage(ErrorCode.INVALID_RESUME, "\"resume\" names category "
                        + Json.quote(category) + ", which is not in \"categories\"");
            }
        }
        return null;
    }

    /**
     * Unsubscribes {@code client} from those of {@code categories} it has, and queues the
     * {@code unsubscription-ack} with what remains. Returns the refusal, or null.
     */
    public ErrorMessage unsubscribe(ClientSession client, List<String> categories) {
        ErrorMessage refused = checkCategories(categories, "unsubscribe");
        if (refused != null) {
            return refused;
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
        return null;
    }

    /** {@code refresh}: replaces the connection's token before it expires and queues the ack. Returns the refusal, or null. */
    public ErrorMessage refresh(ClientSession client, String token) {
        if (verifier == null) {
            return new ErrorMessage(ErrorCode.AUTH_DISABLED, "Authentication is not enabled on this server");
        }
        if (token == null) {
            return new ErrorMessage(ErrorCode.INVALID_TOKEN, "\"token\" must be a string");
        }
        Principal principal;
        try {
            principal = replaceToken(client, token, List.of());
        } catch (Refused e) {
            return e.error;
        }
        client.send(ServerMessages.encode(new ServerMessage.RefreshAck(principal.expiresAt())));
        return null;
    }

    /**
     * Verifies a token given with a connection's request (a header or the query), for the transport
     * to authenticate the session with before anything else.
     */
    public Principal verify(String token) throws TokenException {
        return verifier.verify(token, Instant.now());
    }

    /**
     * With authentication on: takes {@code token} if not null (see {@link #replaceToken}), and
     * checks that the client is authenticated by an unexpired token that allows every requested
     * category. Returns the refusal, or null; nothing has changed on a refusal.
     */
    private ErrorMessage authorize(ClientSession client, String token, List<String> categories) {
        if (verifier == null) {
            return null;
        }
        try {
            if (token != null) {
                replaceToken(client, token, categories);
                return null;
            }
            Principal principal = client.principal();
            if (principal == null) {
                return new ErrorMessage(ErrorCode.UNAUTHORIZED, "Authentication required: send a token"
                        + " (Authorization header, ?token= or \"token\" in subscribe)");
            }
            if (principal.expiresAt() != null && !Instant.now().isBefore(principal.expiresAt())) {
                // The sweep closes it shortly; until then it gets nothing new.
                return new ErrorMessage(ErrorCode.TOKEN_EXPIRED, "The token expired; reconnect with a fresh one");
            }
            checkAllows(client.categories(), principal, categories);
            return null;
        } catch (Refused e) {
            return e.error;
        }
    }

    /**
     * The one way a connection's token changes ({@code refresh}, or {@code subscribe} with a
     * {@code token}): the new token must verify, be for the same subject as the current one (when
     * that has one), and allow every category the connection holds as well as those requested.
     * Only then does it replace the current one, with its expiry.
     */
    private Principal replaceToken(ClientSession client, String token, List<String> requested) throws Refused {
        Principal candidate;
        try {
            candidate = verify(token);
        } catch (TokenException e) {
            throw new Refused(new ErrorMessage(e.code(), e.getMessage()));
        }
        Principal current = client.principal();
        if (current != null && current.subject() != null && !current.subject().equals(candidate.subject())) {
            throw new Refused(new ErrorMessage(ErrorCode.INVALID_TOKEN, "The new token is for another subject"));
        }
        Set<String> needed = new LinkedHashSet<>(client.categories());
        needed.addAll(requested);
        checkAllows(client.categories(), candidate, needed);
        client.authenticate(candidate);
        return candidate;
    }

    /** Refuses with forbidden-category unless {@code principal} allows every category of {@code categories}. */
    private static void checkAllows(List<String> held, Principal principal, Collection<String> categories)
            throws Refused {
        List<String> forbidden = new ArrayList<>();
        for (String category : categories) {
            if (!principal.mayRead(category)) {
                forbidden.add(category);
            }
        }
        if (forbidden.isEmpty()) {
            return;
        }
        List<String> forbiddenHeld = new ArrayList<>(forbidden);
        forbiddenHeld.retainAll(held);
        String message = "The token does not allow categor" + (forbidden.size() == 1 ? "y " : "ies ")
                + String.join(", ", forbidden);
        if (!forbiddenHeld.isEmpty()) {
            message += "; the connection is subscribed to " + String.join(", ", forbiddenHeld) + ": unsubscribe first";
        }
        throw new Refused(new ErrorMessage(ErrorCode.FORBIDDEN_CATEGORY, message, forbidden));
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

    /** A refusal on its way out of the nested checks; carries no stack trace. */
    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ErrorMessage error;

        Refused(ErrorMessage error) {
            super(error.text(), null, false, false);
            this.error = error;
        }
    }
}
