package io.eventstreamer.core.internal.http;

import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Who may see client ids and the admin endpoints: everyone when no admin token is configured,
 * otherwise requests with "Authorization: Bearer <admin token>".
 */
public final class AdminAccess {
    private final BearerTokens token;

    public AdminAccess(String adminToken) {
        this.token = new BearerTokens(List.of(adminToken));
    }

    public boolean isAdmin(Request request) {
        return !token.isConfigured() || token.accepts(BearerTokens.presented(request));
    }

    /** Wraps an admin-only handler: 401 without the token, 403 with another. */
    public Handler only(Handler handler) {
        Handler.Wrapper wrapper = new Handler.Wrapper(handler) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (isAdmin(request)) {
                    return super.handle(request, response, callback);
                }
                if (BearerTokens.presented(request) == null) {
                    response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"event-streamer admin\"");
                    JsonResponses.error(response, callback, 401, "This endpoint needs the admin token", "unauthorized");
                } else {
                    JsonResponses.error(response, callback, 403, "This token is not the admin token", "forbidden");
                }
                return true;
            }
        };
        return wrapper;
    }
}
