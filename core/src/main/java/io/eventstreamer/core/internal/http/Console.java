package io.eventstreamer.core.internal.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.ResourceService;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;

/**
 * The live console: static files under {@code console/} on the class path, served by Jetty at
 * {@code /console/}, with {@code GET /} redirecting there. The page talks to the server only
 * through the public HTTP API and the WebSocket protocol, like any other client.
 */
public final class Console {
    /** Where the console is served; {@code GET /} redirects here. */
    public static final String PATH = "/console";

    private static final String INDEX = "index.html";
    /** The JavaScript client, copied from clients/js/src/index.js by the build. */
    private static final String CLIENT_MODULE = "client/index.js";
    /** Where pages load the JavaScript client from. */
    public static final String CLIENT_PATH = "/client/event-streamer-client.js";
    // The page loads nothing but its own files; even a rendering bug can't run injected script.
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    private Console() {
    }

    /** {@code GET /}: 302 to {@code /console/}. */
    public static Handler redirect() {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (Routes.allow(request, response, callback, "GET")) {
                    Response.sendRedirect(request, response, callback, 302, PATH + "/", false);
                }
                return true;
            }
        };
    }

    /** The console's files, for every path under {@code /console}; no directory listings. */
    public static Handler files() {
        ContextHandler context = new ContextHandler(PATH);
        ResourceHandler resources = new ResourceHandler(fileNotFound());
        resources.setBaseResource(ResourceFactory.of(context).newResource(baseUri()));
        resources.setDirAllowed(false);
        resources.setWelcomeFiles(INDEX);
        resources.setWelcomeMode(ResourceService.WelcomeMode.SERVE);
        // Revalidated on every load (ETags make that cheap), so an upgraded server never runs an old script.
        resources.setCacheControl("no-cache");
        context.setHandler(new Handler.Wrapper(resources) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                response.getHeaders().put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
                response.getHeaders().put("X-Content-Type-Options", "nosniff");
                response.getHeaders().put("Referrer-Policy", "no-referrer");
                return super.handle(request, response, callback);
            }
        });
        return context;
    }

    /**
     * {@code GET /client/event-streamer-client.js}: the JavaScript client (clients/js), the same file
     * the console imports, for pages that load it without a bundler. It is public code, so any
     * origin may load it as a module script.
     */
    public static Handler clientModule() {
        byte[] module;
        try (InputStream in = Console.class.getClassLoader().getResourceAsStream("console/" + CLIENT_MODULE)) {
            if (in == null) {
                throw new IllegalStateException("console/" + CLIENT_MODULE + " is missing from the class path of event-streamer core");
            }
            module = in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (Routes.allow(request, response, callback, "GET")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/javascript; charset=utf-8");
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
                    response.getHeaders().put("X-Content-Type-Options", "nosniff");
                    response.getHeaders().put("Access-Control-Allow-Origin", "*");
                    response.write(true, ByteBuffer.wrap(module), callback);
                }
                return true;
            }
        };
    }

    /** The {@code console/} directory, found through its index so that it works from a jar too. */
    private static URI baseUri() {
        URL index = Console.class.getClassLoader().getResource("console/" + INDEX);
        if (index == null) {
            throw new IllegalStateException("console/" + INDEX + " is missing from the class path of event-streamer core");
        }
        String url = index.toExternalForm();
        return URI.create(url.substring(0, url.length() - INDEX.length()));
    }

    private static Handler fileNotFound() {
        return new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                if (Routes.allow(request, response, callback, "GET")) {
                    JsonResponses.error(response, callback, 404, "No such file in the console", "not-found");
                }
                return true;
            }
        };
    }
}
