package io.eventstreamer.core.internal.ws;

import io.eventstreamer.core.internal.auth.Principal;
import io.eventstreamer.core.internal.fanout.ClientSession;
import io.eventstreamer.core.internal.protocol.ErrorCode;
import io.eventstreamer.core.internal.protocol.ServerMessages;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.exception.BadPayloadException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's core handler for one WebSocket connection: reads its frames and hands its messages to the
 * {@link ProtocolHandler}; the connection's session is one of the host's {@code Sessions}.
 *
 * <p>Jetty's API layer would keep the upgrade request and per-session method handles for as long
 * as the connection lives; at the core level this object is all that the endpoint adds to Jetty's
 * own session and connection. Jetty core reads a frame only after {@link CoreSession#demand()},
 * so every path that completes a frame demands the next one. Frames arrive one at a time on the
 * connection's reading thread.
 *
 * <p>Every frame but a close takes a token from the frame rate limit, and a fragmented message may
 * arrive in at most so many frames; a client over either is closed with 1008. Once the server has
 * started closing a client, its frames are still read (so that the close reaches it rather than a
 * reset) but ignored.
 */
final class ClientFrameHandler implements FrameHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ClientFrameHandler.class);

    private final WebSocketService service;
    private String ip;
    private final MessageRateLimiter rateLimiter;
    private final MessageRateLimiter frameLimiter;
    private final int maxFragments;
    /** The upgrade's authentication, until it is handed to the client session. */
    private Principal principal;
    private boolean addressCounted;
    private CoreSession coreSession;
    private volatile ClientSession client;
    /** The message being received in several frames, if any. */
    private FragmentedMessage fragments;

    ClientFrameHandler(WebSocketService service, String ip, Principal principal, MessageRateLimiter rateLimiter,
            MessageRateLimiter frameLimiter, int maxFragments) {
        this.service = service;
        this.ip = ip;
        this.principal = principal;
        this.rateLimiter = rateLimiter;
        this.frameLimiter = frameLimiter;
        this.maxFragments = maxFragments;
    }

    @Override
    public void onOpen(CoreSession session, Callback callback) {
        coreSession = session;
        try {
            open(session);
        } catch (Throwable x) {
            callback.failed(x);
            return;
        }
        callback.succeeded();
        session.demand();
    }

    private void open(CoreSession session) {
        // The upgrade checked the address too, but several upgrades can race past that check.
        String counted = service.sessions().admitAddress(ip);
        addressCounted = counted != null;
        if (!addressCounted) {
            session.close(CloseStatus.POLICY_VIOLATION, "Too many connections from this address", Callback.NOOP);
            return;
        }
        ip = counted;
        if (!service.sessions().reserve()) {
            if (LOG.isDebugEnabled()) {
                LOG.debug("Refusing {}: server at capacity", ClientSession.describe(session.getRemoteAddress()));
            }
            service.sessions().refused();
            Frame error = new Frame(OpCode.TEXT, true,
                    ByteBuffer.wrap(ServerMessages.error(ErrorCode.CAPACITY_EXCEEDED, "Server capacity exceeded")));
            session.sendFrame(error, Callback.from(
                    () -> session.close(CloseStatus.TRY_AGAIN_LATER, "Server capacity exceeded", Callback.NOOP),
                    x -> session.abort()), false);
            return;
        }
        ClientSession opened = service.opened(session);
        if (principal != null) {
            opened.authenticate(principal);
            principal = null;
        }
        client = opened;
    }

    @Override
    public void onFrame(Frame frame, Callback callback) {
        try {
            ClientSession c = client;
            if (c != null) {
                c.touch();
            }
            if (frame.getOpCode() != OpCode.CLOSE && !admitFrame(c)) {
                callback.succeeded();
                coreSession.demand();
                return;
            }
            switch (frame.getOpCode()) {
                case OpCode.TEXT:
                case OpCode.BINARY:
                case OpCode.CONTINUATION:
                    onDataFrame(c, frame);
                    break;
                case OpCode.PING:
                    if (c != null && c.hasFraming()) {
                        // Its writes go out in whole batches: the pong takes its turn among them.
                        c.sendControlReply(copy(frame.getPayload()));
                        break;
                    }
                    onPing(frame, callback);
                    return;
                case OpCode.PONG:
                    if (c != null) {
                        c.pongReceived();
                    }
                    break;
                case OpCode.CLOSE:
                    // Jetty answers the close once this callback succeeds; nothing more is read.
                    // Its answer must not collide with a write of ours in flight.
                    if (c != null) {
                        c.closedByPeer(callback::succeeded);
                    } else {
                        callback.succeeded();
                    }
                    return;
                default:
                    break;
            }
        } catch (Throwable x) {
            // A CloseException closes with its code: 1009 too large, 1007 invalid UTF-8; others 1011.
            fragments = null;
            callback.failed(x);
            return;
        }
        callback.succeeded();
        coreSession.demand();
    }

    /**
     * Whether to handle a frame that is not a close: not once the server is closing the client
     * (read on, so that its close arrives, but ignore), and not over the frame rate (close 1008).
     */
    private boolean admitFrame(ClientSession c) {
        if (c != null && c.isClosing()) {
            return false;
        }
        if (frameLimiter.take(System.nanoTime())) {
            return true;
        }
        fragments = null;
        refuse(c, ErrorCode.RATE_LIMITED, "Frame rate limit exceeded", "frame rate limit exceeded");
        return false;
    }

    /** Closes with 1008 after telling the client why, for breaking a limit. */
    private void refuse(ClientSession c, ErrorCode code, String error, String reason) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("Closing {}: {}", c == null ? ip : c, reason);
        }
        if (c == null) {
            coreSession.close(CloseStatus.POLICY_VIOLATION, reason, Callback.NOOP);
            return;
        }
        c.closeWith(ClientSession.CloseCause.POLICY, ServerMessages.error(code, error), CloseStatus.POLICY_VIOLATION,
                reason);
    }

    private static byte[] copy(ByteBuffer payload) {
        if (payload == null) {
            return new byte[0];
        }
        byte[] bytes = new byte[payload.remaining()];
        payload.slice().get(bytes);
        return bytes;
    }

    /** Answers with a PONG carrying the PING's payload, which stays valid until the callback completes. */
    private void onPing(Frame ping, Callback callback) {
        Frame pong = new Frame(OpCode.PONG, true, ping.getPayload());
        // Completes on success and on failure alike: a PONG that can't be sent is no reason to stop reading.
        coreSession.sendFrame(pong, Callback.from(() -> {
            callback.succeeded();
            coreSession.demand();
        }), false);
    }

    private void onDataFrame(ClientSession c, Frame frame) {
        byte opCode = frame.getOpCode();
        if (opCode != OpCode.CONTINUATION && frame.isFin()) {
            // The common case, a message in one frame: decoded from the frame, nothing aggregated.
            boolean text = opCode == OpCode.TEXT;
            long max = text ? coreSession.getMaxTextMessageSize() : coreSession.getMaxBinaryMessageSize();
            FragmentedMessage.checkSize(frame.getPayloadLength(), max, text);
            onMessage(c, text ? decode(frame.getPayload()) : null);
            return;
        }
        if (opCode == OpCode.TEXT) {
            fragments = FragmentedMessage.text(coreSession.getMaxTextMessageSize());
        } else if (opCode == OpCode.BINARY) {
            fragments = FragmentedMessage.binary(coreSession.getMaxBinaryMessageSize());
        }
        // Jetty has checked the sequence: a CONTINUATION always follows a TEXT or BINARY that wasn't
        // the last. The message is gone only when it was refused, and the connection is closing.
        FragmentedMessage message = fragments;
        if (message == null) {
            return;
        }
        if (message.fragments() >= maxFragments) {
            fragments = null;
            refuse(c, ErrorCode.TOO_MANY_FRAGMENTS, String.format("A message may arrive in at most %d frames",
                    maxFragments), "too many fragments in one message");
            return;
        }
        message.append(frame.getPayload());
        if (frame.isFin()) {
            fragments = null;
            onMessage(c, message.isText() ? message.takeText() : null);
        }
    }

    /** Strict UTF-8 (the JDK's decoder reports malformed input unless told otherwise): 1007 when invalid. */
    private static String decode(ByteBuffer payload) {
        if (payload == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(payload.slice()).toString();
        } catch (CharacterCodingException e) {
            throw new BadPayloadException.InvalidUtf8();
        }
    }

    /** A whole message; {@code text} is null for a binary one, whose content is never looked at. */
    private void onMessage(ClientSession c, String text) {
        if (c == null || !admitted(c)) {
            return;
        }
        if (text == null) {
            service.protocol().onBinary(c);
        } else {
            service.protocol().onText(c, text);
        }
    }

    /** Applies the inbound message rate limit; false when the message is refused. */
    private boolean admitted(ClientSession c) {
        switch (rateLimiter.onMessage(System.nanoTime())) {
            case ACCEPT:
                return true;
            case REFUSE_AND_TELL:
                c.send(ServerMessages.error(ErrorCode.RATE_LIMITED, "Too many messages; slow down"));
                return false;
            case CLOSE:
                c.closeWith(ClientSession.CloseCause.POLICY, ServerMessages.error(ErrorCode.RATE_LIMITED,
                        "Message rate limit exceeded"), CloseStatus.POLICY_VIOLATION, "message rate limit exceeded");
                return false;
            default:
                return false;
        }
    }

    @Override
    public void onError(Throwable cause, Callback callback) {
        if (LOG.isDebugEnabled()) {
            ClientSession c = client;
            LOG.debug("Connection error for {}: {}", c == null ? ip : c, cause.toString());
        }
        callback.succeeded();
    }

    @Override
    public void onClosed(CloseStatus status, Callback callback) {
        if (addressCounted) {
            addressCounted = false;
            service.sessions().releaseAddress(ip);
        }
        ClientSession c = client;
        client = null;
        if (c != null) {
            service.closed(c, status);
        }
        callback.succeeded();
    }
}
