package dev.vigil.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.state.Thresholds;
import dev.vigil.config.ConfigException;
import dev.vigil.testsupport.target.TestCertificateAuthority;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectorConfigTest {
    private static final String TOKEN = "s3cret-token";
    private static final Map<String, String> ENV = Map.of("VIGIL_AGENT_TOKEN", TOKEN, "WEBHOOK_SECRET", "plain-secret",
            "BACKUP_TOKEN", "backup-token");

    @TempDir
    Path dir;

    @Test
    void readsEverySettingOfAFullFile() throws IOException {
        CollectorConfig config = parse("valid-full.yaml");

        assertThat(config.listen().getHostString()).isEqualTo("127.0.0.1");
        assertThat(config.listen().getPort()).isEqualTo(19470);
        assertThat(config.dataDir()).isEqualTo(dir.toAbsolutePath().resolve("data/collector"));
        assertThat(config.agents()).extracting(AgentConfig::name).containsExactly("demo-agent", "edge-2");
        assertThat(config.agents().get(0).tokenDigest().orElseThrow().matches(TokenDigest.of(TOKEN))).isTrue();
        assertThat(config.agents().get(1).tokenDigest().orElseThrow().matches(TokenDigest.of("test"))).isTrue();
        assertThat(config.thresholds()).isEqualTo(new Thresholds(3, 1));
        assertThat(config.sinks()).extracting(SinkConfig::name).containsExactly("demo-log", "plain");
        SinkConfig.Webhook demoLog = (SinkConfig.Webhook) config.sinks().get(0);
        assertThat(demoLog.url()).hasToString("http://127.0.0.1:9472/incidents");
        assertThat(demoLog.settings().timeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(demoLog.secrets()).hasSize(1);
        SinkConfig.Webhook plain = (SinkConfig.Webhook) config.sinks().get(1);
        assertThat(plain.settings().timeout()).isEqualTo(SinkSettings.DEFAULT_TIMEOUT);
        assertThat(plain.secrets().get(0).key()).isEqualTo("plain-secret".getBytes(StandardCharsets.UTF_8));
        assertThat(config.heartbeats()).extracting(HeartbeatConfig::id).containsExactly("nightly-backup",
                "hourly-import");
        HeartbeatConfig backup = config.heartbeats().get(0);
        assertThat(backup.period()).isEqualTo(Duration.ofHours(24));
        assertThat(backup.grace()).isEqualTo(Duration.ofMinutes(30));
        assertThat(backup.tokenDigest().matches(TokenDigest.of("backup-token"))).isTrue();
        assertThat(config.heartbeats().get(1).grace()).isEqualTo(Duration.ZERO);
        assertThat(config.heartbeats().get(1).tokenDigest().matches(TokenDigest.of("import-token"))).isTrue();
    }

    @Test
    void fillsDefaultsForAMinimalFile() throws IOException {
        CollectorConfig config = parse("valid-minimal.yaml");

        assertThat(config.listen()).isEqualTo(CollectorConfig.DEFAULT_LISTEN);
        assertThat(config.listen().getPort()).isEqualTo(9470);
        assertThat(config.dataDir()).isEqualTo(dir.toAbsolutePath().resolve(CollectorConfig.DEFAULT_DATA_DIR));
        assertThat(config.thresholds()).isEqualTo(Thresholds.DEFAULT);
        assertThat(config.sinks()).isEmpty();
        assertThat(config.incidents()).isEqualTo(IncidentConfig.DEFAULT);
        assertThat(config.heartbeats()).isEmpty();
    }

    @Test
    void resolvesARelativeDataDirAgainstTheFilesDirectoryWhenLoaded() throws IOException {
        Path sub = Files.createDirectories(dir.resolve("etc"));
        Path file = sub.resolve("collector.yaml");
        Files.writeString(file, "data_dir: ../var/vigil\nagents:\n  - name: a\n    token_sha256: "
                + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n");

        assertThat(CollectorConfig.load(file).dataDir()).isEqualTo(dir.toAbsolutePath().resolve("var/vigil"));
    }

    @Test
    void neverShowsATokenOrSecret() throws IOException {
        CollectorConfig config = parse("valid-full.yaml");

        assertThat(config.toString()).doesNotContain(TOKEN).doesNotContain("plain-secret").doesNotContain("backup-token")
                .doesNotContain("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").contains("redacted");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        invalid-unknown-field.yaml          | unknown field lisen at invalid-unknown-field.yaml:4 (known: agents, api, calendars, checks, data_dir, heartbeats, incidents, ingest, journal, listen, maintenance, services, sinks, slas, state, tls, webhooks)
        invalid-unknown-agent-field.yaml    | unknown field agents[0].labels at invalid-unknown-agent-field.yaml:4 (known: certificate_name, name, tenant, token, token_sha256)
        invalid-unknown-state-field.yaml    | unknown field state.failures_to_close at invalid-unknown-state-field.yaml:5 (known: failures_to_open, successes_to_close)
        invalid-unknown-webhook-field.yaml  | unknown field webhooks[0].retries at invalid-unknown-webhook-field.yaml:7 (known: name, secret, secrets, timeout, url)
        invalid-listen.yaml                 | listen must be host:port (was 'localhost') at invalid-listen.yaml:1
        invalid-data-dir.yaml               | data_dir must not be empty at invalid-data-dir.yaml:1
        invalid-missing-agents.yaml         | missing required field agents at invalid-missing-agents.yaml:1
        invalid-empty-agents.yaml           | agents must list at least one agent at invalid-empty-agents.yaml:2
        invalid-agent-name.yaml             | agents[0].name must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was 'demo agent') at invalid-agent-name.yaml:2
        invalid-duplicate-agent-name.yaml   | agents[1].name must be unique (was 'demo-agent', as agents[0].name) at invalid-duplicate-agent-name.yaml:4
        invalid-agent-without-token.yaml    | agents[0] must set token or token_sha256 at invalid-agent-without-token.yaml:2
        invalid-agent-with-both-tokens.yaml | agents[0] must set token or token_sha256, not both at invalid-agent-with-both-tokens.yaml:2
        invalid-empty-token.yaml            | agents[0].token must not be empty at invalid-empty-token.yaml:3
        invalid-unset-token-variable.yaml   | agents[0].token refers to environment variable VIGIL_UNSET_TOKEN, which is not set at invalid-unset-token-variable.yaml:3
        invalid-token-sha256.yaml           | agents[0].token_sha256 must be 64 hexadecimal digits, the SHA-256 of the token at invalid-token-sha256.yaml:3
        invalid-shared-token.yaml           | agents[1].token_sha256 is the same token as agents[0]; every agent needs its own token at invalid-shared-token.yaml:5
        invalid-failures-to-open.yaml       | state.failures_to_open must be between 1 and 100 (was 0) at invalid-failures-to-open.yaml:5
        invalid-successes-to-close.yaml     | state.successes_to_close must be between 1 and 100 (was 101) at invalid-successes-to-close.yaml:5
        invalid-webhook-url.yaml            | webhooks[0].url must be an http:// or https:// URL (was 'x') at invalid-webhook-url.yaml:6
        invalid-webhook-name.yaml           | webhooks[0].name must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was 'demo/log') at invalid-webhook-name.yaml:5
        invalid-duplicate-webhook-name.yaml | webhooks[1].name must be unique among sinks and webhooks (was 'demo-log', as webhooks[0].name) at invalid-duplicate-webhook-name.yaml:7
        invalid-webhook-timeout.yaml        | webhooks[0].timeout must be > 0 (was 0s) at invalid-webhook-timeout.yaml:7
        invalid-certificate-name-without-client-ca.yaml | agents[0].certificate_name needs tls.client_ca_file, the authority that issues agents' client certificates at invalid-certificate-name-without-client-ca.yaml:3
        invalid-tenant.yaml                 | agents[0].tenant must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was 'acme corp') at invalid-tenant.yaml:4
        invalid-ingest-max-in-flight.yaml   | ingest.max_in_flight must be between 1 and 4096 (was 0) at invalid-ingest-max-in-flight.yaml:5
        invalid-ingest-max-body-bytes.yaml  | ingest.max_body_bytes must be between 1024 and 268435456 (was 100) at invalid-ingest-max-body-bytes.yaml:5
        invalid-ingest-request-timeout.yaml | ingest.request_timeout must be > 0 (was 0s) at invalid-ingest-request-timeout.yaml:5
        invalid-unknown-ingest-field.yaml   | unknown field ingest.body_limit at invalid-unknown-ingest-field.yaml:5 (known: idle_timeout, max_body_bytes, max_in_flight, request_timeout)
        invalid-webhook-secret.yaml         | webhooks[0].secret starts with whsec_ but the rest is not base64 at invalid-webhook-secret.yaml:7
        invalid-unknown-heartbeat-field.yaml | unknown field heartbeats[0].interval at invalid-unknown-heartbeat-field.yaml:7 (known: grace, id, period, token, token_sha256)
        invalid-heartbeat-id.yaml           | heartbeats[0].id must be 1..128 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was 'nightly backup') at invalid-heartbeat-id.yaml:5
        invalid-duplicate-heartbeat-id.yaml | heartbeats[1].id must be unique (was 'nightly-backup', as heartbeats[0].id) at invalid-duplicate-heartbeat-id.yaml:8
        invalid-heartbeat-without-token.yaml | heartbeats[0] must set token or token_sha256 at invalid-heartbeat-without-token.yaml:5
        invalid-heartbeat-with-both-tokens.yaml | heartbeats[0] must set token or token_sha256, not both at invalid-heartbeat-with-both-tokens.yaml:5
        invalid-heartbeat-token-sha256.yaml | heartbeats[0].token_sha256 must be 64 hexadecimal digits, the SHA-256 of the token at invalid-heartbeat-token-sha256.yaml:7
        invalid-heartbeat-shared-token.yaml | heartbeats[1].token is the same token as heartbeats[0]; every heartbeat needs its own token at invalid-heartbeat-shared-token.yaml:10
        invalid-heartbeat-agent-token.yaml  | heartbeats[0].token is the same token as agents[0]; a heartbeat's token must not let a script ship samples as an agent at invalid-heartbeat-agent-token.yaml:7
        invalid-heartbeat-period.yaml       | heartbeats[0].period must be at least 1m (was 30s) at invalid-heartbeat-period.yaml:6
        invalid-heartbeat-missing-period.yaml | missing required field heartbeats[0].period at invalid-heartbeat-missing-period.yaml:5
        invalid-heartbeat-grace.yaml        | heartbeats[0].grace is not a duration: 'soon' (use e.g. 500ms, 10s, 1m30s, 2h) at invalid-heartbeat-grace.yaml:7
        invalid-heartbeat-deadline.yaml     | heartbeats[0] period + grace must be at most 35d, the oldest sample the collector accepts (was 36d) at invalid-heartbeat-deadline.yaml:5
        invalid-reserved-agent-name.yaml    | agents[1].name must not be 'heartbeat', the name heartbeat checks are recorded under at invalid-reserved-agent-name.yaml:4
        """)
    void rejectsAnInvalidFileNamingFieldValueAndLine(String fixture, String message) {
        assertThatThrownBy(() -> parse(fixture))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .message().doesNotContain(TOKEN);
    }

    @Test
    void refusesAConfigurationBuiltInCodeWithAnAgentUnderTheHeartbeatName() {
        AgentConfig agent = new AgentConfig(HeartbeatConfig.AGENT, TokenDigest.of("t"));

        assertThatThrownBy(() -> new CollectorConfig(CollectorConfig.DEFAULT_LISTEN, dir.toAbsolutePath(),
                List.of(agent), Thresholds.DEFAULT, List.of(), CollectorConfig.DEFAULT_JOURNAL_RETENTION))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("agent name heartbeat is reserved for heartbeat checks");
    }

    @Test
    void readsATlsBlockWithClientCertificatesAndAgentsWithoutTokens() throws IOException {
        TestCertificateAuthority authority = TestCertificateAuthority.create();
        TestCertificateAuthority.PemFiles server = authority.writeServerCertificate(dir);
        authority.writeRootCertificate(dir.resolve("agents-ca.pem"));

        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                tls:
                  cert_file: server.crt
                  key_file: server.key
                  client_ca_file: agents-ca.pem
                  client_auth: optional
                agents:
                  - name: edge-1
                    certificate_name: Edge-1.Agents.Example.com
                    tenant: acme
                """, ENV::get, dir);

        TlsConfig tls = config.tls().orElseThrow();
        assertThat(tls.certFile()).isEqualTo(server.certificate().toAbsolutePath());
        assertThat(tls.clientCaFile()).contains(dir.toAbsolutePath().resolve("agents-ca.pem"));
        assertThat(tls.clientAuth()).isEqualTo(ClientAuthMode.OPTIONAL);
        assertThat(config.agents().get(0).certificateName()).contains("edge-1.agents.example.com");
        assertThat(config.agents().get(0).tokenDigest()).isEmpty();
        assertThat(config.agents().get(0).tenant()).isEqualTo("acme");
        assertThat(config.ingest()).isEqualTo(IngestLimits.DEFAULT);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        key of another certificate | server.crt | other.key | agents-ca.pem | required | tls.key_file is not the key of the first certificate in cert_file 'server.crt' (was 'other.key') at collector.yaml:3
        certificate is not PEM     | other.key  | server.key | agents-ca.pem | required | tls.cert_file holds no PEM certificate: no -----BEGIN CERTIFICATE----- block found (was 'other.key') at collector.yaml:2
        key is not a key           | server.crt | server.crt | agents-ca.pem | required | tls.key_file holds no PEM private key: no -----BEGIN PRIVATE KEY----- block found (was 'server.crt') at collector.yaml:3
        client CA is not PEM       | server.crt | server.key | server.key    | required | tls.client_ca_file holds no PEM certificate: no -----BEGIN CERTIFICATE----- block found (was 'server.key') at collector.yaml:4
        unknown client_auth        | server.crt | server.key | agents-ca.pem | sometimes | tls.client_auth must be one of required, optional (was 'sometimes') at collector.yaml:5
        """)
    void rejectsTlsFilesTheListenerCouldNotUse(String rule, String cert, String key, String ca, String clientAuth,
            String message) {
        TestCertificateAuthority authority = TestCertificateAuthority.create();
        authority.writeServerCertificate(dir);
        authority.writeRootCertificate(dir.resolve("agents-ca.pem"));
        TestCertificateAuthority.PemFiles other = authority.writeClientCertificate(dir, "other");
        assertThat(other.privateKey().getFileName()).hasToString("other.key");
        String yaml = """
                tls:
                  cert_file: %s
                  key_file: %s
                  client_ca_file: %s
                  client_auth: %s
                agents:
                  - name: edge-1
                    token: t
                """.formatted(cert, key, ca, clientAuth);

        assertThatThrownBy(() -> CollectorConfig.parse("collector.yaml", yaml, ENV::get, dir))
                .isInstanceOf(ConfigException.class).hasMessage(message);
    }

    @Test
    void rejectsClientAuthWithoutAClientAuthority() {
        TestCertificateAuthority.create().writeServerCertificate(dir);

        assertThatThrownBy(() -> CollectorConfig.parse("collector.yaml", """
                tls:
                  cert_file: server.crt
                  key_file: server.key
                  client_auth: required
                agents:
                  - name: edge-1
                    token: t
                """, ENV::get, dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage("tls.client_auth needs client_ca_file, the authority that issues agents' client "
                        + "certificates at collector.yaml:4");
    }

    private CollectorConfig parse(String fixture) throws IOException {
        String yaml;
        try (InputStream in = getClass().getResourceAsStream("/config/" + fixture)) {
            if (in == null) {
                throw new IOException("no fixture " + fixture);
            }
            yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return CollectorConfig.parse(fixture, yaml, ENV::get, dir);
    }
}
