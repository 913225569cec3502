package io.eventstreamer.core.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.eventstreamer.core.EventStreamer;
import java.io.FileInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** wss:// and https:// from a PKCS12 keystore the test generates with the JDK's keytool. */
class TlsTest {
    private static final String PASSWORD = "keystore-password-1";

    @RegisterExtension
    final HostExtension hosts = new HostExtension();

    private static Path keystore(Path dir) throws Exception {
        Path file = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "event-streamer", "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as("keytool: %s", output).isZero();
        return file;
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(keystore.toFile())) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    @Test
    @DisplayName("a client subscribes over wss:// and receives an event published over https://;"
            + " plain HTTP on the redirect port is sent to https")
    void endToEnd(@TempDir Path dir) throws Exception {
        Path keystore = keystore(dir);
        int redirectPort;
        try (ServerSocket free = new ServerSocket(0)) {
            redirectPort = free.getLocalPort();
        }
        EventStreamer host = hosts.start("server.tls.enabled = true",
                "server.tls.keystore-file = \"" + keystore + "\"",
                "server.tls.keystore-password = \"" + PASSWORD + "\"",
                "server.tls.http-redirect-port = " + redirectPort);
        assertThat(host.webSocketUri().getScheme()).isEqualTo("wss");
        assertThat(host.httpUri().getScheme()).isEqualTo("https");

        SslContextFactory.Client ssl = new SslContextFactory.Client();
        ssl.setTrustStorePath(keystore.toString());
        ssl.setTrustStorePassword(PASSWORD);
        ssl.setTrustStoreType("PKCS12");
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(ssl);
        WebSocketClient wss = new WebSocketClient(new org.eclipse.jetty.client.HttpClient(
                new HttpClientTransportOverHTTP(connector)));
        wss.start();
        hosts.closeAfter(wss::stop);
        TestClient client = TestClient.connect(wss, host.webSocketUri(), Map.of());
        hosts.closeAfter(client);
        client.subscribed("tls", "test-alpha");

        HttpClient https = HttpClient.newBuilder().sslContext(trusting(keystore))
                .connectTimeout(Duration.ofSeconds(10)).build();
        HttpResponse<String> published = https.send(HttpRequest.newBuilder(host.httpUri().resolve("/api/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"category\":\"test-alpha\",\"event\":\"alpha-happened\","
                        + "\"data\":{\"name\":\"secure\",\"count\":42}}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).isEqualTo(202);
        assertThat(client.nextEvent().at("/data/count").asInt()).isEqualTo(42);

        HttpResponse<String> redirected = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + redirectPort + "/api/websocket/status")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(redirected.statusCode()).isBetween(301, 308);
        assertThat(redirected.headers().firstValue("Location").orElse(""))
                .startsWith("https://127.0.0.1:" + host.port() + "/api/websocket/status");
    }
}
