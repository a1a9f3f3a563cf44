package dev.vigil.collector.ingest;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import dev.vigil.testsupport.target.TestCertificateAuthority.PemFiles;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A collector listening with TLS and requiring client certificates: agents authenticate by
 * certificate, by token or by both, and a credential pair naming two agents is refused.
 */
class MutualTlsIngestTest {
    @TempDir
    static Path dir;
    static TestCertificateAuthority authority;
    static Collector collector;
    static Map<String, PemFiles> certificates;

    @BeforeAll
    static void startCollector() throws IOException {
        authority = TestCertificateAuthority.create();
        Path ca = authority.writeRootCertificate(dir.resolve("ca.pem"));
        PemFiles server = authority.writeServerCertificate(dir);
        certificates = Map.of(
                "edge-1", authority.writeClientCertificate(dir, "edge-1.agents.example.com"),
                "edge-2", authority.writeClientCertificate(dir, "edge-2", "edge-2.agents.example.com"),
                "stranger", authority.writeClientCertificate(dir, "stranger.example.com"));
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                tls:
                  cert_file: %s
                  key_file: %s
                  client_ca_file: %s
                agents:
                  - name: edge-1
                    certificate_name: edge-1.agents.example.com
                    tenant: acme
                  - name: edge-2
                    token: token-2
                    certificate_name: edge-2.agents.example.com
                  - name: edge-3
                    token: token-3
                """.formatted(server.certificate(), server.privateKey(), ca), name -> null, dir);
        collector = Collector.start(config, InstantSource.system());
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void listensWithTls() {
        assertThat(collector.baseUri().getScheme()).isEqualTo("https");
    }

    @Test
    void refusesTheHandshakeOfAClientWithoutCertificate() {
        HttpClient client = client(null);

        assertThatThrownBy(() -> post(client, "token-3")).isInstanceOf(IOException.class);
    }

    @Test
    void authenticatesAnAgentByItsCertificateAloneAndNamesItsTenant() throws Exception {
        HttpResponse<byte[]> response = post(client("edge-1"), null);

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(AckCodec.decode(response.body()).accepted()).isEqualTo(1);
        assertThat(metric("vigil_ingest_requests_total{agent=\"edge-1\",tenant=\"acme\"}")).isEqualTo(1.0);
    }

    @Test
    void acceptsAnAgentPresentingItsCertificateAndItsToken() throws Exception {
        HttpResponse<byte[]> response = post(client("edge-2"), "token-2");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
        assertThat(metric("vigil_ingest_requests_total{agent=\"edge-2\",tenant=\"default\"}")).isEqualTo(1.0);
    }

    @Test
    void refusesTheCertificateOfOneAgentWithTheTokenOfAnother() throws Exception {
        HttpResponse<byte[]> response = post(client("edge-1"), "token-2");

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(text(response)).contains("the bearer token and the client certificate belong to different agents");
    }

    @Test
    void refusesAnAgentThatLeavesOutOneOfItsCredentials() throws Exception {
        HttpResponse<byte[]> response = post(client("edge-2"), null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(text(response)).contains("this agent must also present its bearer token");
    }

    @Test
    void refusesWith403ACertificateThatNamesNoAgent() throws Exception {
        HttpResponse<byte[]> response = post(client("stranger"), null);

        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(text(response)).contains("the client certificate names no configured agent");
    }

    @Test
    void acceptsATokenAgentOverAConnectionWithACertificateNamingNoAgent() throws Exception {
        HttpResponse<byte[]> response = post(client("stranger"), "token-3");

        assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
    }

    private static HttpResponse<byte[]> post(HttpClient client, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(collector.baseUri().resolve(IngestRoute.PATH))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", BatchCodec.MEDIA_TYPE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        TestAgent.batch(records("tls", "S", 0, System.currentTimeMillis(), 1_000))));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static double metric(String series) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(collector.baseUri().resolve("/metrics")).GET().build();
        String text = client("edge-1").send(request, HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    /** An HTTP/1.1 client trusting the test authority and presenting {@code agent}'s certificate, if any. */
    private static HttpClient client(String agent) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = null;
            if (agent != null) {
                PemFiles files = certificates.get(agent);
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                Certificate[] chain;
                try (InputStream in = Files.newInputStream(files.certificate())) {
                    chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
                }
                store.setKeyEntry("agent", privateKey(files.privateKey()), new char[0], chain);
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
            }
            context.init(keys == null ? null : keys.getKeyManagers(),
                    authority.trustManagerFactory().getTrustManagers(), null);
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                    .connectTimeout(Duration.ofSeconds(5)).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a TLS client for " + agent, e);
        }
    }

    private static PrivateKey privateKey(Path file) throws Exception {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }
}
