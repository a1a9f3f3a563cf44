package dev.vigil.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentPolicy;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.incident.delivery.EgressPolicy;
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
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CollectorConfigTest {
    private static final String TOKEN = "s3cret-token";
    private static final Map<String, String> ENV = Map.ofEntries(Map.entry("VIGIL_AGENT_TOKEN", TOKEN),
            Map.entry("WEBHOOK_SECRET", "plain-secret"), Map.entry("BACKUP_TOKEN", "backup-token"),
            Map.entry("HOOK_SECRET", "hook-secret-new"), Map.entry("HOOK_SECRET_OLD", "hook-secret-old"),
            Map.entry("PD_ROUTING_KEY", "pd-routing-key-0123"), Map.entry("OPSGENIE_KEY", "opsgenie-key-4567"),
            Map.entry("AM_TOKEN", "am-bearer-token-89"), Map.entry("SNOW_PASSWORD", "snow-password-abc"),
            Map.entry("JIRA_TOKEN", "jira-api-token-def"), Map.entry("AM_INBOUND_TOKEN", "am-inbound-token-ghi"),
            Map.entry("SLACK_WEBHOOK_URL", "https://hooks.slack.com/services/T0001/B0001/slack-secret-path"),
            Map.entry("TEAMS_WEBHOOK_URL", "https://example.webhook.office.com/webhookb2/teams-secret-path"),
            // Webhook URLs that are wrong but, being secrets, must not be shown in the message.
            Map.entry("SLACK_RELATIVE_WEBHOOK_URL", "hooks.slack.com/services/T0001/B0001/relative-secret-path"),
            Map.entry("TEAMS_MALFORMED_WEBHOOK_URL", "https://example.webhook.office.com/malformed secret path"));

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

    @Test
    void readsEverySinkTypeWithEveryField() throws IOException {
        CollectorConfig config = parse("valid-sinks.yaml");

        assertThat(config.sinks()).extracting(SinkConfig::name)
                .containsExactly("legacy", "hook", "pd", "og", "jsm", "am", "snow", "jira", "chat", "teams");
        assertThat(config.sinks().get(0).settings()).isEqualTo(SinkSettings.named("legacy"));

        SinkConfig.Webhook hook = (SinkConfig.Webhook) config.sinks().get(1);
        assertThat(hook.url()).hasToString("https://hooks.example/vigil");
        assertThat(hook.settings()).isEqualTo(new SinkSettings("hook", Duration.ofSeconds(3), Priority.P2,
                Set.of("checkout", "payments"), Set.of(IncidentKind.OUTAGE, IncidentKind.BURN_RATE)));
        assertThat(hook.secrets()).extracting(WebhookSecret::key).containsExactly(
                "hook-secret-new".getBytes(StandardCharsets.UTF_8), "hook-secret-old".getBytes(StandardCharsets.UTF_8));

        SinkConfig.PagerDuty pd = (SinkConfig.PagerDuty) config.sinks().get(2);
        assertThat(pd.settings()).isEqualTo(SinkSettings.named("pd"));
        assertThat(pd.url()).hasToString("https://events.eu.pagerduty.com/v2/enqueue");
        assertThat(pd.routingKey().reveal()).isEqualTo(ENV.get("PD_ROUTING_KEY"));
        assertThat(pd.severity()).isEqualTo(Map.of(Priority.P1, "critical", Priority.P2, "critical",
                Priority.P3, "error", Priority.P4, "info", Priority.P5, "info"));

        SinkConfig.Opsgenie og = (SinkConfig.Opsgenie) config.sinks().get(3);
        assertThat(og.baseUrl()).hasToString("https://api.eu.opsgenie.com");
        assertThat(og.apiKey().reveal()).isEqualTo(ENV.get("OPSGENIE_KEY"));
        assertThat(og.priority()).isEqualTo(Map.of(Priority.P1, "P1", Priority.P2, "P1", Priority.P3, "P3",
                Priority.P4, "P4", Priority.P5, "P5"));
        assertThat(og.responders()).containsExactly("ops", "payments-oncall");
        SinkConfig.Opsgenie jsm = (SinkConfig.Opsgenie) config.sinks().get(4);
        assertThat(jsm.baseUrl()).hasToString("https://api.atlassian.com/jsm/ops/integration");
        assertThat(jsm.priority()).containsEntry(Priority.P1, "P1").containsEntry(Priority.P5, "P5");
        assertThat(jsm.responders()).isEmpty();

        SinkConfig.Alertmanager am = (SinkConfig.Alertmanager) config.sinks().get(5);
        assertThat(am.url()).hasToString("http://127.0.0.1:9093");
        assertThat(am.resendEvery()).isEqualTo(Duration.ofSeconds(30));
        assertThat(am.severity()).isEqualTo(Map.of(Priority.P1, "page", Priority.P2, "critical",
                Priority.P3, "warning", Priority.P4, "info", Priority.P5, "info"));
        assertThat(am.bearerToken().orElseThrow().reveal()).isEqualTo(ENV.get("AM_TOKEN"));

        SinkConfig.ServiceNow snow = (SinkConfig.ServiceNow) config.sinks().get(6);
        assertThat(snow.instanceUrl()).hasToString("https://example.service-now.com");
        assertThat(snow.username()).isEqualTo("vigil");
        assertThat(snow.password().reveal()).isEqualTo(ENV.get("SNOW_PASSWORD"));
        assertThat(snow.table()).isEqualTo("u_outage");
        assertThat(snow.assignmentGroup()).contains("Ops");
        assertThat(snow.resolvedState()).isEqualTo("7");
        assertThat(snow.closeCode()).isEqualTo("Workaround");

        SinkConfig.Jira jira = (SinkConfig.Jira) config.sinks().get(7);
        assertThat(jira.baseUrl()).hasToString("https://example.atlassian.net");
        assertThat(jira.project()).isEqualTo("OPS");
        assertThat(jira.issueType()).isEqualTo("Incident");
        assertThat(jira.user()).isEqualTo("bot@example.com");
        assertThat(jira.token().reveal()).isEqualTo(ENV.get("JIRA_TOKEN"));
        assertThat(jira.resolveTransition()).isEqualTo("Resolve");
        assertThat(jira.priority()).isEqualTo(Map.of(Priority.P1, "Blocker", Priority.P2, "High",
                Priority.P3, "Medium", Priority.P4, "Low", Priority.P5, "Lowest"));

        assertThat(((SinkConfig.Slack) config.sinks().get(8)).webhookUrl().reveal())
                .isEqualTo(ENV.get("SLACK_WEBHOOK_URL"));
        assertThat(((SinkConfig.Teams) config.sinks().get(9)).webhookUrl().reveal())
                .isEqualTo(ENV.get("TEAMS_WEBHOOK_URL"));
        assertThat(config.sinks()).extracting(SinkConfig::type).containsExactly(SinkConfig.Type.WEBHOOK,
                SinkConfig.Type.WEBHOOK, SinkConfig.Type.PAGERDUTY, SinkConfig.Type.OPSGENIE, SinkConfig.Type.OPSGENIE,
                SinkConfig.Type.ALERTMANAGER, SinkConfig.Type.SERVICENOW, SinkConfig.Type.JIRA, SinkConfig.Type.SLACK,
                SinkConfig.Type.TEAMS);
    }

    @Test
    void readsEveryIncidentSetting() throws IOException {
        IncidentConfig incidents = parse("valid-sinks.yaml").incidents();

        IncidentPolicy policy = incidents.policy();
        assertThat(policy.evaluateEvery()).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.remindEvery()).contains(Duration.ofHours(2));
        assertThat(policy.burnRate()).isFalse();
        assertThat(policy.budgetExhausted()).isFalse();
        assertThat(policy.dampFlapping()).isFalse();
        assertThat(policy.impactByTier()).isEqualTo(Map.of("gold", Level.HIGH, "bronze", Level.LOW));
        assertThat(policy.defaultImpact()).isEqualTo(Level.LOW);
        assertThat(policy.matrix().priorityOf(Level.HIGH, Level.MEDIUM)).isEqualTo(Priority.P1);
        assertThat(policy.matrix().priorityOf(Level.HIGH, Level.LOW)).isEqualTo(Priority.P2);
        assertThat(policy.matrix().priorityOf(Level.LOW, Level.LOW)).isEqualTo(Priority.P5);
        assertThat(incidents.egress().allowed()).containsExactly(EgressPolicy.Cidr.parse("10.0.0.0/8"),
                EgressPolicy.Cidr.parse("fd00::/8"));
        assertThat(incidents.alertmanagerToken().orElseThrow().reveal()).isEqualTo(ENV.get("AM_INBOUND_TOKEN"));
    }

    @Test
    void neverShowsASinkSecret() throws IOException {
        CollectorConfig config = parse("valid-sinks.yaml");

        assertThat(config.toString()).satisfies(text -> ENV.values().forEach(secret ->
                assertThat(text).doesNotContain(secret)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
        invalid-unknown-field.yaml          | unknown field lisen at invalid-unknown-field.yaml:4 (known: agents, api, calendars, changes, checks, data_dir, heartbeats, incidents, ingest, journal, kpi_targets, listen, maintenance, problems, services, sinks, slas, state, suppliers, tls, webhooks)
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
        invalid-sink-type.yaml              | sinks[0].type must be one of webhook, pagerduty, opsgenie, jsm, alertmanager, servicenow, jira, slack, teams (was 'pagerdutty') at invalid-sink-type.yaml:6
        invalid-sink-unknown-alertmanager-field.yaml | unknown field sinks[0].resolve_timeout at invalid-sink-unknown-alertmanager-field.yaml:8 (known: bearer_token, kinds, min_priority, name, resend_every, services, severity, timeout, type, url)
        invalid-sink-unknown-jira-field.yaml | unknown field sinks[0].issuetype at invalid-sink-unknown-jira-field.yaml:11 (known: base_url, issue_type, kinds, min_priority, name, priority, project, resolve_transition, services, timeout, token, type, user)
        invalid-sink-unknown-opsgenie-field.yaml | unknown field sinks[0].teams at invalid-sink-unknown-opsgenie-field.yaml:8 (known: api_key, base_url, kinds, min_priority, name, priority, responders, services, timeout, type)
        invalid-sink-unknown-pagerduty-field.yaml | unknown field sinks[0].integration_key at invalid-sink-unknown-pagerduty-field.yaml:7 (known: kinds, min_priority, name, routing_key, services, severity, timeout, type, url)
        invalid-sink-unknown-servicenow-field.yaml | unknown field sinks[0].close_notes at invalid-sink-unknown-servicenow-field.yaml:10 (known: assignment_group, close_code, instance_url, kinds, min_priority, name, password, resolved_state, services, table, timeout, type, username)
        invalid-sink-unknown-slack-field.yaml | unknown field sinks[0].channel at invalid-sink-unknown-slack-field.yaml:8 (known: kinds, min_priority, name, services, timeout, type, webhook_url)
        invalid-sink-unknown-teams-field.yaml | unknown field sinks[0].url at invalid-sink-unknown-teams-field.yaml:7 (known: kinds, min_priority, name, services, timeout, type, webhook_url)
        invalid-sink-unknown-webhook-field.yaml | unknown field sinks[0].signing_secret at invalid-sink-unknown-webhook-field.yaml:8 (known: kinds, min_priority, name, secret, secrets, services, timeout, type, url)
        invalid-sink-missing-alertmanager-url.yaml | missing required field sinks[0].url at invalid-sink-missing-alertmanager-url.yaml:5
        invalid-sink-missing-api-key.yaml   | missing required field sinks[0].api_key at invalid-sink-missing-api-key.yaml:5
        invalid-sink-missing-base-url.yaml  | missing required field sinks[0].base_url at invalid-sink-missing-base-url.yaml:5
        invalid-sink-missing-instance-url.yaml | missing required field sinks[0].instance_url at invalid-sink-missing-instance-url.yaml:5
        invalid-sink-missing-password.yaml  | missing required field sinks[0].password at invalid-sink-missing-password.yaml:5
        invalid-sink-missing-project.yaml   | missing required field sinks[0].project at invalid-sink-missing-project.yaml:5
        invalid-sink-missing-routing-key.yaml | missing required field sinks[0].routing_key at invalid-sink-missing-routing-key.yaml:5
        invalid-sink-missing-slack-webhook-url.yaml | missing required field sinks[0].webhook_url at invalid-sink-missing-slack-webhook-url.yaml:5
        invalid-sink-missing-teams-webhook-url.yaml | missing required field sinks[0].webhook_url at invalid-sink-missing-teams-webhook-url.yaml:5
        invalid-sink-missing-token.yaml     | missing required field sinks[0].token at invalid-sink-missing-token.yaml:5
        invalid-sink-missing-user.yaml      | missing required field sinks[0].user at invalid-sink-missing-user.yaml:5
        invalid-sink-missing-username.yaml  | missing required field sinks[0].username at invalid-sink-missing-username.yaml:5
        invalid-sink-missing-webhook-url.yaml | missing required field sinks[0].url at invalid-sink-missing-webhook-url.yaml:5
        invalid-sink-empty-secret.yaml      | sinks[0].routing_key must not be empty (is its environment variable set?) at invalid-sink-empty-secret.yaml:7
        invalid-sink-empty-webhook-secret.yaml | sinks[0].secrets[1] must not be empty (is its environment variable set?) at invalid-sink-empty-webhook-secret.yaml:8
        invalid-sink-slack-webhook-url.yaml | sinks[0].webhook_url must be an absolute http(s) URL (value not shown: it is a secret) at invalid-sink-slack-webhook-url.yaml:7
        invalid-sink-teams-webhook-url.yaml | sinks[0].webhook_url is not a URL (value not shown: it is a secret) at invalid-sink-teams-webhook-url.yaml:7
        invalid-sink-duplicate-name.yaml    | sinks[0].name must be unique among sinks and webhooks (was 'ops', as webhooks[0].name) at invalid-sink-duplicate-name.yaml:8
        invalid-sink-min-priority.yaml      | sinks[0].min_priority must be P1..P5 (was 'P0') at invalid-sink-min-priority.yaml:8
        invalid-sink-kinds.yaml             | sinks[0].kinds[1] must be one of outage, burn_rate, budget_exhausted, alert (was 'burnrate') at invalid-sink-kinds.yaml:8
        invalid-sink-severity-key.yaml      | sinks[0].severity.P6 is not a priority (keys must be P1..P5) at invalid-sink-severity-key.yaml:10
        invalid-sink-pagerduty-severity.yaml | sinks[0].severity.P2 must be one of critical, error, warning, info (was 'urgent') at invalid-sink-pagerduty-severity.yaml:8
        invalid-sink-webhook-secret-and-secrets.yaml | sinks[0].secrets cannot be combined with secret: list every key under secrets at invalid-sink-webhook-secret-and-secrets.yaml:9
        invalid-incidents-matrix-cell.yaml  | incidents.priority.matrix.low.low must be P1..P5 (was 'P6') at invalid-incidents-matrix-cell.yaml:9
        invalid-incidents-matrix-level.yaml | incidents.priority.matrix.low.lowest is not a level (rows are impact, columns urgency: high, medium, low) at invalid-incidents-matrix-level.yaml:9
        invalid-incidents-matrix-row.yaml   | incidents.priority.matrix has no row for impact medium (rows are impact, columns urgency: high, medium, low) at invalid-incidents-matrix-row.yaml:7
        invalid-incidents-matrix-incomplete.yaml | incidents.priority.matrix.low has no priority for urgency low (rows are impact, columns urgency: high, medium, low) at invalid-incidents-matrix-incomplete.yaml:9
        invalid-incidents-impact-level.yaml | incidents.priority.impact_by_tier.silver must be high, medium or low (was 'critical') at invalid-incidents-impact-level.yaml:8
        invalid-incidents-remind-every.yaml | incidents.remind_every must be at least 1m (was 30s) at invalid-incidents-remind-every.yaml:5
        invalid-incidents-egress-cidr.yaml  | incidents.egress.allow[1] '10.0.0.0/33' has a prefix length above 32, the most for an IPv4 address at invalid-incidents-egress-cidr.yaml:6
        """)
    void rejectsAnInvalidFileNamingFieldValueAndLine(String fixture, String message) {
        assertThatThrownBy(() -> parse(fixture))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message)
                .message().satisfies(text -> ENV.values().forEach(secret -> assertThat(text).doesNotContain(secret)));
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
