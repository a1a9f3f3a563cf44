package dev.vigil.collector.status;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * A collector with four services and their history, for the status page tests: {@code web} healthy now
 * after a 10-minute outage yesterday (a resolved incident), {@code api} down for the last hour (an open
 * incident whose detail names its target and a token), {@code db} in a maintenance window now with
 * another announced for tomorrow, and {@code docs} without checks. Its clock stands at {@link #NOW}.
 */
final class StatusScenario {
    static final Instant NOW = Instant.parse("2026-11-20T12:00:00Z");
    static final long MINUTE = 60_000;
    /** What the failing samples of {@code api} say: internal detail the page must not show. */
    static final String API_FAILURE_DETAIL = "connect to http://127.0.0.1:9/api-health?token=s3cret-token refused";
    static final String YAML = """
            listen: 127.0.0.1:0
            data_dir: data
            agents:
              - name: edge-1
                token: edge-token
            checks:
              - id: web
                type: http
                url: http://127.0.0.1:9/web-health
                interval: 1m
                agents: [edge-1]
              - id: api
                type: http
                url: http://127.0.0.1:9/api-health?token=s3cret-token
                interval: 1m
                agents: [edge-1]
              - id: db
                type: tcp
                target: 127.0.0.1:5432
                interval: 1m
                agents: [edge-1]
            slas:
              standard:
                period: month
                objectives:
                  - availability: 99.9%
            services:
              - name: web
                description: "The <b>shop</b> & checkout"
                sla: standard
                checks:
                  - {check: web, agents: [edge-1]}
              - name: api
                description: Public REST API
                checks:
                  - {check: api, agents: [edge-1]}
              - name: db
                checks:
                  - {check: db, agents: [edge-1]}
              - name: docs
                description: Documentation, not measured yet
            maintenance:
              - id: index-rebuild
                services: [db]
                start: 2026-11-20T11:30:00Z
                end: 2026-11-20T12:30:00Z
                created_by: alice
                reason: Index rebuild
              - id: db-upgrade
                services: [db]
                start: 2026-11-21T02:00:00Z
                for: 2h
                created_by: alice
                reason: "Database upgrade <CHG-42> & failover test"
              - id: last-month
                services: [db]
                start: 2026-10-01T02:00:00Z
                for: 1h
                created_by: alice
                reason: Old window
            """;

    private StatusScenario() {
    }

    /** Starts the collector in {@code dir} with its clock at {@link #NOW}. */
    static Collector start(Path dir) {
        return start(dir, InstantSource.fixed(NOW));
    }

    /** Starts the collector in {@code dir} with {@code clock}, which should stand at {@link #NOW}. */
    static Collector start(Path dir, InstantSource clock) {
        return Collector.start(CollectorConfig.parse("collector.yaml", YAML, name -> null, dir), clock);
    }

    /** Ships the history and waits until the incident book holds both incidents. */
    static TestAgent feed(Collector collector) {
        TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
        long now = NOW.toEpochMilli();
        // web: 30 hours, one sample a minute, failing for 10 minutes from yesterday 11:00.
        agent.ship(records("web", "S".repeat(300) + "F".repeat(10) + "S".repeat(1490), 0, now - 30 * 60 * MINUTE,
                MINUTE));
        List<SampleRecord> api = new ArrayList<>(records("api", "S".repeat(60), 1_800, now - 120 * MINUTE, MINUTE));
        for (int i = 60; i < 120; i++) {
            api.add(new SampleRecord(1_800 + i, new Sample("api", now - (120 - i) * MINUTE, 1_000,
                    Outcome.CONNECT_REFUSED, 200_000, -1, -1, -1, 2_000_000, 0, API_FAILURE_DETAIL)));
        }
        agent.ship(api);
        agent.ship(records("db", "S".repeat(120), 1_920, now - 120 * MINUTE, MINUTE));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonArray incidents = agent.getJson("/api/v1/incidents?kind=outage").getJsonArray("incidents");
            assertThat(incidents.stream().map(i -> ((JsonObject) i).getString("title") + " "
                    + ((JsonObject) i).getString("status"))).contains("api is down open", "web is down resolved");
        });
        return agent;
    }
}
