package dev.vigil.collector.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.withinPercentage;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import dev.vigil.testsupport.prometheus.Promtool;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's {@code /metrics} with services, an SLA, an open incident and a sink: promtool accepts
 * it, every family is documented in {@code docs/metrics.md}, labels come from a bounded set, the latency
 * histogram counts live samples only (a restart does not replay history into it) while the percentile
 * gauges are rebuilt, and the pipeline gauges are there.
 */
class CollectorMetricsTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Every label name a collector series may carry: each has a value set bounded by configuration or code. */
    private static final Set<String> BOUNDED_LABELS = Set.of("agent", "check", "window", "percentile", "service",
            "sla", "objective", "period", "kind", "priority", "sink", "result", "reason", "outcome", "tenant",
            "status", "le", "target", "supplier");
    private static final Pattern FAMILY = Pattern.compile("^# TYPE (vigil_[a-z0-9_]+) ([a-z]+)$", Pattern.MULTILINE);
    private static final Pattern LABEL_NAME = Pattern.compile("[{,]([a-zA-Z_][a-zA-Z0-9_]*)=\"");

    @TempDir
    Path dir;
    RecordingWebhookReceiver receiver;
    long start;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = RecordingWebhookReceiver.start();
        start = System.currentTimeMillis() / 1000 * 1000 - 600_000;
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void writesEveryFamilyPromtoolAcceptsWithDocumentedNamesAndBoundedLabels() throws Exception {
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);
            String text = agent.metrics();

            Promtool.Result lint = Promtool.checkMetrics(text);
            assertThat(lint.clean()).as("%s:\n%s", lint.command(), lint.output()).isTrue();
            String documented = Files.readString(Path.of("..", "docs", "metrics.md"));
            Matcher family = FAMILY.matcher(text);
            List<String> families = new ArrayList<>();
            while (family.find()) {
                families.add(family.group(1));
                assertThat(documented).as("docs/metrics.md documents %s", family.group(1))
                        .contains("`" + family.group(1));
            }
            assertThat(families).contains("vigil_check_up", "vigil_check_latency_seconds",
                    "vigil_check_latency_percentile_seconds", "vigil_sla_error_budget_remaining_ratio",
                    "vigil_sla_burn_rate", "vigil_sla_mttd_seconds", "vigil_incidents_open", "vigil_incident_outbox_pending",
                    "vigil_ingest_delay_seconds", "vigil_collector_journal_bytes", "vigil_collector_replay_duration_seconds",
                    "vigil_collector_snapshot_last_success_timestamp_seconds", "vigil_collector_snapshot_duration_seconds",
                    "vigil_collector_figures_last_refresh_timestamp_seconds");
            Set<String> labels = new TreeSet<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("vigil_")) {
                    Matcher name = LABEL_NAME.matcher(line.substring(0, line.lastIndexOf(' ')));
                    while (name.find()) {
                        labels.add(name.group(1));
                    }
                }
            }
            assertThat(BOUNDED_LABELS).containsAll(labels);
        }
    }

    @Test
    void countsLiveSamplesInTheHistogramAndPrecomputesPercentilesPerWindow() {
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);

            assertThat(agent.metric(bucket("0.005"))).isEqualTo(1);
            assertThat(agent.metric(bucket("0.05"))).isEqualTo(2);
            assertThat(agent.metric(bucket("0.25"))).isEqualTo(2);
            assertThat(agent.metric(bucket("0.5"))).isEqualTo(3);
            assertThat(agent.metric(bucket("2.5"))).isEqualTo(4);
            assertThat(agent.metric(bucket("+Inf"))).isEqualTo(4);
            assertThat(agent.metric("vigil_check_latency_seconds_count{agent=\"edge-1\",check=\"web\"}")).isEqualTo(4);
            assertThat(agent.metric("vigil_check_latency_seconds_sum{agent=\"edge-1\",check=\"web\"}"))
                    .isCloseTo(2.343, offset(1e-9));
            // HdrHistogram keeps 3 significant digits.
            assertThat(agent.metric(percentile("50", "1h"))).isCloseTo(0.04, withinPercentage(1));
            assertThat(agent.metric(percentile("90", "24h"))).isCloseTo(2.0, withinPercentage(1));
            assertThat(agent.metric(percentile("95", "1h"))).isCloseTo(2.0, withinPercentage(1));
            assertThat(agent.metric(percentile("99", "30d"))).isCloseTo(2.0, withinPercentage(1));
        }
    }

    @Test
    void aRestartRebuildsThePercentilesButLeavesTheHistogramToLiveSamples() {
        try (Collector collector = start()) {
            feed(collector);
        }
        try (Collector collector = start()) {
            TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
            await().atMost(DEADLINE).until(() -> !Double.isNaN(agent.metric(percentile("50", "1h"))));

            String text = agent.metrics();
            assertThat(text).doesNotContain("vigil_check_latency_seconds_count{agent=\"edge-1\",check=\"web\"}");
            assertThat(agent.metric("vigil_check_samples_total{agent=\"edge-1\",check=\"web\",outcome=\"ok\"}"))
                    .isEqualTo(4);
            assertThat(agent.metric("vigil_collector_replay_duration_seconds")).isPositive();

            agent.ship(List.of(record("web", 7, 7_000_000)));
            assertThat(agent.metric(bucket("0.01"))).isEqualTo(1);
        }
    }

    @Test
    void showsIncidentsDeliveryAndPipelineHealth() {
        try (Collector collector = start()) {
            TestAgent agent = feed(collector);
            // The outage of api opens an incident, and so does its spent error budget: both reach the sink.
            await().atMost(DEADLINE).until(() -> receiver.acceptedRequests().size() >= 2);
            await().atMost(DEADLINE).until(() -> agent.metric(
                    "vigil_incident_deliveries_total{result=\"delivered\",sink=\"ops\"}")
                    == receiver.acceptedRequests().size());

            String text = agent.metrics();
            assertThat(sum(text, "vigil_incidents_open{kind=\"outage\"")).isEqualTo(1);
            assertThat(agent.metric("vigil_incidents_opened_total")).isEqualTo(sum(text, "vigil_incidents_open{"))
                    .isGreaterThanOrEqualTo(2);
            assertThat(agent.metric("vigil_incidents_muted")).isZero();
            assertThat(agent.metric("vigil_incident_outbox_pending{sink=\"ops\"}")).isZero();
            assertThat(agent.metric("vigil_sla_objective_target_ratio{objective=\"availability\",service=\"shop\","
                    + "sla=\"standard\"}")).isEqualTo(0.999);
            assertThat(agent.metric("vigil_ingest_samples_total{agent=\"edge-1\"}")).isEqualTo(7);
            assertThat(agent.metric("vigil_ingest_delay_seconds{agent=\"edge-1\"}")).isGreaterThan(500);
            assertThat(agent.metric("vigil_collector_journal_entries_total")).isEqualTo(7);
            assertThat(agent.metric("vigil_collector_journal_bytes")).isPositive();
            assertThat(agent.metric("vigil_collector_replay_duration_seconds")).isGreaterThanOrEqualTo(0);
            await().atMost(DEADLINE).until(() -> agent.metric(
                    "vigil_collector_snapshot_last_success_timestamp_seconds") * 1000 >= start);
            assertThat(agent.metric("vigil_collector_snapshot_bytes")).isPositive();
            assertThat(agent.metric("vigil_collector_snapshot_failures_total")).isZero();
            assertThat(agent.metric("vigil_collector_figures_last_refresh_timestamp_seconds") * 1000)
                    .isGreaterThan(start);
        }
    }

    private Collector start() {
        return Collector.start(CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                sinks:
                  - name: ops
                    type: webhook
                    url: %s
                incidents:
                  egress:
                    allow: ["127.0.0.0/8"]
                slas:
                  standard:
                    period: month
                    objectives:
                      - availability: 99.9%%
                      - latency: {threshold: 250ms, target: 99%%}
                services:
                  - name: shop
                    sla: standard
                    checks:
                      - {check: web, agents: [edge-1]}
                  - name: api
                    sla: standard
                    checks:
                      - {check: api, agents: [edge-1]}
                """.formatted(receiver.url("/hooks")), name -> null, dir), InstantSource.system());
    }

    /**
     * Four successes of {@code web} at 3 ms, 40 ms, 300 ms and 2 s, and three failures of {@code api}
     * (an outage, so an incident); then waits for the figures computed after them.
     */
    private TestAgent feed(Collector collector) {
        TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
        List<SampleRecord> records = new ArrayList<>();
        long[] latencyNanos = {3_000_000, 40_000_000, 300_000_000, 2_000_000_000};
        for (int i = 0; i < latencyNanos.length; i++) {
            records.add(record("web", i, latencyNanos[i]));
        }
        for (int i = 0; i < 3; i++) {
            long at = start + i * 10_000L;
            records.add(new SampleRecord(4 + i, new Sample("api", at, 1_000, Outcome.STATUS_MISMATCH, 200_000,
                    300_000, -1, 1_500_000, 2_000_000, 503, "expected 2xx, got 503")));
        }
        agent.ship(records);
        await().atMost(DEADLINE).until(() -> !Double.isNaN(agent.metric(percentile("50", "1h")))
                && agent.metric("vigil_check_up{agent=\"edge-1\",check=\"api\"}") == 0);
        return agent;
    }

    private SampleRecord record(String check, int index, long totalNanos) {
        long at = start + index * 10_000L;
        return new SampleRecord(index, new Sample(check, at, 1_000, Outcome.OK, 200_000, 300_000, -1, 1_500_000,
                totalNanos, 200, ""));
    }

    /** The sum of the values of the series whose line starts with {@code prefix}. */
    private static double sum(String text, String prefix) {
        return text.lines().filter(line -> line.startsWith(prefix))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static String bucket(String le) {
        return "vigil_check_latency_seconds_bucket{agent=\"edge-1\",check=\"web\",le=\"" + le + "\"}";
    }

    private static String percentile(String percentile, String window) {
        return "vigil_check_latency_percentile_seconds{agent=\"edge-1\",check=\"web\",percentile=\"" + percentile
                + "\",window=\"" + window + "\"}";
    }
}
