package dev.vigil.collector.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.config.ConfigNode;
import dev.vigil.config.PemFile;
import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.CheckReader;
import dev.vigil.config.check.TcpProbeSpec;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import dev.vigil.testsupport.target.TestCertificateAuthority.PemFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /api/v1/assignments} on a real collector listening with TLS, client certificates optional:
 * agents authenticate as for ingest and get their own checks, versioned by {@code ETag}.
 */
class AssignmentRouteTest {
    @TempDir
    static Path dir;
    static TestCertificateAuthority authority;
    static PemFiles edge3Certificate;
    static Collector collector;
    static HttpClient tokenClient;
    static HttpClient certificateClient;

    @BeforeAll
    static void startCollector() {
        authority = TestCertificateAuthority.create();
        Path ca = authority.writeRootCertificate(dir.resolve("ca.pem"));
        PemFiles server = authority.writeServerCertificate(dir);
        edge3Certificate = authority.writeClientCertificate(dir, "edge-3.agents.example.com");
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                tls:
                  cert_file: %s
                  key_file: %s
                  client_ca_file: %s
                  client_auth: optional
                agents:
                  - {name: edge-1, token: token-1}
                  - {name: edge-2, token: token-2}
                  - {name: edge-3, certificate_name: edge-3.agents.example.com}
                checks:
                  - id: web
                    type: http
                    url: http://127.0.0.1:8080/health
                    interval: 10s
                    agents: [edge-1, edge-3]
                  - id: db
                    type: tcp
                    target: 127.0.0.1:5432
                    agents: [edge-1]
                """.formatted(server.certificate(), server.privateKey(), ca), name -> null, dir);
        collector = Collector.start(config, InstantSource.system());
        tokenClient = client(null);
        certificateClient = client(edge3Certificate);
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void servesAnAgentItsOwnChecksWithTheVersionAsEntityTag() throws Exception {
        HttpResponse<String> response = get(tokenClient, "token-1", null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonObject document = new JsonObject(response.body());
        assertThat(document.getString("agent")).isEqualTo("edge-1");
        assertThat(document.getString("version")).matches("[0-9a-f]{16}");
        assertThat(response.headers().firstValue("ETag")).contains("\"" + document.getString("version") + "\"");
        assertThat(document.getJsonArray("checks").getList()).isEqualTo(List.of(
                Map.of("id", "web", "type", "http", "url", "http://127.0.0.1:8080/health", "interval", "10s"),
                Map.of("id", "db", "type", "tcp", "target", "127.0.0.1:5432")));
    }

    @Test
    void theDocumentReadsBackWithTheAgentsReadersIntoTheSameChecks() throws Exception {
        HttpResponse<String> response = get(tokenClient, "token-1", null);

        ConfigNode root = ConfigNode.parseVerbatim("assignments.json", response.body());
        List<CheckConfig> checks = CheckReader.assignedOnAgent().checks(root.list("checks"), Set.of());

        assertThat(checks).extracting(CheckConfig::id).containsExactly("web", "db");
        assertThat(checks.get(0).interval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(checks.get(1).probe()).isEqualTo(TcpProbeSpec.connect("127.0.0.1", 5432));
    }

    @Test
    void answers304WithoutABodyWhenTheAgentHasTheCurrentVersion() throws Exception {
        String tag = get(tokenClient, "token-1", null).headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> current = get(tokenClient, "token-1", tag);
        HttpResponse<String> stale = get(tokenClient, "token-1", "\"0000000000000000\"");

        assertThat(current.statusCode()).isEqualTo(304);
        assertThat(current.body()).isEmpty();
        assertThat(current.headers().firstValue("ETag")).contains(tag);
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(metric("vigil_collector_assignment_requests_total{agent=\"edge-1\",result=\"not_modified\"}"))
                .isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void anAgentWithoutChecksGetsAnEmptyListAndItsOwnVersion() throws Exception {
        HttpResponse<String> response = get(tokenClient, "token-2", null);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject document = new JsonObject(response.body());
        assertThat(document.getString("agent")).isEqualTo("edge-2");
        assertThat(document.getJsonArray("checks")).isEmpty();
    }

    @Test
    void refusesAnUnknownOrMissingTokenWith401AsIngestDoes() throws Exception {
        HttpResponse<String> unknown = get(tokenClient, "not-a-token", null);
        HttpResponse<String> missing = get(tokenClient, null, null);

        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(unknown.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(new JsonObject(unknown.body()).getString("error")).isEqualTo("missing or unknown bearer token");
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(unknown.body()).doesNotContain("web", "db");
    }

    @Test
    void authenticatesAnAgentByItsClientCertificate() throws Exception {
        HttpResponse<String> response = get(certificateClient, null, null);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonObject document = new JsonObject(response.body());
        assertThat(document.getString("agent")).isEqualTo("edge-3");
        assertThat(document.getJsonArray("checks").getJsonObject(0).getString("id")).isEqualTo("web");
    }

    @Test
    void matchesEntityTagsAsIfNoneMatchLists() {
        AssignmentDocument document = AssignmentDocument.of("edge-1", List.of());
        String tag = document.entityTag();

        assertThat(AssignmentRoute.matches(tag, document)).isTrue();
        assertThat(AssignmentRoute.matches("\"x\", W/" + tag, document)).isTrue();
        assertThat(AssignmentRoute.matches("*", document)).isTrue();
        assertThat(AssignmentRoute.matches(document.version(), document)).as("unquoted is no tag").isFalse();
        assertThat(AssignmentRoute.matches(null, document)).isFalse();
    }

    private static HttpResponse<String> get(HttpClient client, String token, String ifNoneMatch)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(collector.baseUri().resolve(AssignmentRoute.PATH))
                .timeout(Duration.ofSeconds(20))
                .GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double metric(String series) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(collector.baseUri().resolve("/metrics")).GET().build();
        String text = tokenClient.send(request, HttpResponse.BodyHandlers.ofString()).body();
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    /** An HTTP/1.1 client trusting the test authority and presenting {@code certificate}, if any. */
    private static HttpClient client(PemFiles certificate) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            KeyManagerFactory keys = null;
            if (certificate != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("agent", PemFile.privateKey(certificate.privateKey()), new char[0],
                        PemFile.certificates(certificate.certificate()).toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, new char[0]);
            }
            context.init(keys == null ? null : keys.getKeyManagers(),
                    authority.trustManagerFactory().getTrustManagers(), null);
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(context)
                    .connectTimeout(Duration.ofSeconds(20)).build();
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a TLS client", e);
        }
    }
}
