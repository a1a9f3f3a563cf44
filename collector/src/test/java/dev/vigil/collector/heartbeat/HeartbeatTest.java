package dev.vigil.collector.heartbeat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.TestClock;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.BatchCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Heartbeat checks on a real collector whose clock the test moves: a check with period 24 h and grace
 * 30 min goes down at its deadline, stays down one missed sample per period, recovers on the next
 * heartbeat, and a restart (in a missed period, or across deadlines) changes none of it.
 */
class HeartbeatTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String CHECK = "heartbeat/nightly-backup";
    private static final String PATH = "/api/v1/heartbeat/nightly-backup";
    private static final Duration DAY = Duration.ofHours(24);

    @TempDir
    Path dir;
    final Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS);
    final Instant deadline = start.plus(DAY).plus(Duration.ofMinutes(30));
    final TestClock clock = new TestClock(start.toEpochMilli());

    @Test
    void goesDownWhenNoHeartbeatArrivesWithinPeriodAndGraceAndRecoversOnTheNextOne() {
        try (Collector collector = Collector.start(config(dir), clock)) {
            URI base = collector.baseUri();
            JsonObject first = beat(base, PATH, bearer("backup-token"), 200);
            assertThat(first).isEqualTo(new JsonObject().put("check", CHECK).put("status", "ok")
                    .put("time", start.toString()).put("next_deadline", deadline.toString()));
            assertThat(check(base).getString("state")).isEqualTo("up");

            clock.set(deadline.plusSeconds(1).toEpochMilli());

            await().atMost(WAIT).until(() -> check(base).getString("state").equals("down"));
            JsonObject down = check(base);
            assertThat(down.getString("since")).isEqualTo(deadline.toString());
            assertThat(down.getString("lastOutcome")).isEqualTo("TIMEOUT");
            assertThat(down.getString("lastDetail")).isEqualTo("no heartbeat since " + start
                    + " (period 1d, grace 30m)");
            TestAgent reader = new TestAgent(base, "edge-token");
            assertThat(reader.metric("vigil_heartbeats_missed_total{check=\"nightly-backup\"}")).isEqualTo(1.0);
            assertThat(reader.metric("vigil_heartbeat_deadline_timestamp_seconds{check=\"nightly-backup\"}"))
                    .isEqualTo(deadline.plus(DAY).toEpochMilli() / 1000.0);

            clock.set(deadline.plus(DAY).plusSeconds(1).toEpochMilli());
            await().atMost(WAIT).until(() -> check(base).getLong("samples") == 3);
            assertThat(check(base).getString("lastSampleAt")).isEqualTo(deadline.plus(DAY).toString());
            assertThat(check(base).getString("since")).isEqualTo(deadline.toString());

            Instant back = deadline.plus(DAY).plus(Duration.ofHours(2));
            clock.set(back.toEpochMilli());
            JsonObject recovered = beat(base, PATH, bearer("backup-token"), 200);

            assertThat(recovered.getString("next_deadline")).isEqualTo(back.plus(DAY).plusSeconds(1800).toString());
            JsonObject up = check(base);
            assertThat(up.getString("state")).isEqualTo("up");
            assertThat(up.getString("since")).isEqualTo(back.toString());
            assertThat(up.getLong("samples")).isEqualTo(4);
            assertThat(up.getJsonObject("windows").getJsonObject("30d").getDouble("downtimeSeconds"))
                    .isEqualTo((double) Duration.between(deadline, back).toSeconds());
            JsonObject incident = onlyIncident(base);
            assertThat(incident.getString("key")).isEqualTo("check/" + CHECK + "@" + deadline.toEpochMilli());
            assertThat(incident.getString("status")).isEqualTo("resolved");
            assertThat(reader.metric("vigil_heartbeats_received_total{check=\"nightly-backup\",status=\"ok\"}"))
                    .isEqualTo(2.0);
            assertThat(reader.metric("vigil_heartbeats_missed_total{check=\"nightly-backup\"}")).isEqualTo(2.0);
        }
    }

    @Test
    void takesAHeartbeatExactlyAtTheDeadlineAsInTime() {
        try (Collector collector = Collector.start(config(dir), clock)) {
            URI base = collector.baseUri();
            beat(base, PATH, bearer("backup-token"), 200);
            clock.set(deadline.toEpochMilli());

            JsonObject answer = beat(base, PATH, bearer("backup-token"), 200);

            assertThat(answer.getString("next_deadline")).isEqualTo(deadline.plus(DAY).plusSeconds(1800).toString());
            assertThat(check(base).getLong("samples")).isEqualTo(2);
            assertThat(check(base).getString("lastOutcome")).isEqualTo("OK");
        }
    }

    @Test
    void recordsTheDeadlinesThatPassedBeforeALateHeartbeatAheadOfIt() {
        try (Collector collector = Collector.start(config(dir), clock)) {
            URI base = collector.baseUri();
            beat(base, PATH, bearer("backup-token"), 200);
            Instant late = deadline.plus(DAY).plus(Duration.ofMinutes(10));
            clock.set(late.toEpochMilli());

            // Whether the watch's timer or the heartbeat notices first, the deadlines go in before it.
            beat(base, PATH, bearer("backup-token"), 200);

            JsonObject check = check(base);
            assertThat(check.getLong("samples")).isEqualTo(4);
            assertThat(check.getString("state")).isEqualTo("up");
            assertThat(check.getJsonObject("windows").getJsonObject("30d").getDouble("downtimeSeconds"))
                    .isEqualTo((double) Duration.between(deadline, late).toSeconds());
            assertThat(onlyIncident(base).getString("key")).isEqualTo("check/" + CHECK + "@" + deadline.toEpochMilli());
        }
    }

    @Test
    void takesAnExplicitFailureFromAPlainGetWithBasicAuthenticationAndGoesDownAtOnce() {
        try (Collector collector = Collector.start(config(dir), clock)) {
            URI base = collector.baseUri();
            beat(base, PATH, bearer("backup-token"), 200);
            clock.set(start.plus(Duration.ofHours(1)).toEpochMilli());
            String basic = "Basic " + Base64.getEncoder()
                    .encodeToString(":backup-token".getBytes(StandardCharsets.UTF_8));

            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(
                    base.resolve(PATH + "?status=fail&detail=disk%20full")).header("Authorization", basic).GET().build());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(json(response).getString("status")).isEqualTo("fail");
            JsonObject check = check(base);
            assertThat(check.getString("state")).isEqualTo("down");
            assertThat(check.getString("lastOutcome")).isEqualTo("ASSERTION_FAILED");
            assertThat(check.getString("lastDetail")).isEqualTo("disk full");
            assertThat(check.getString("since")).isEqualTo(start.plus(Duration.ofHours(1)).toString());
        }
    }

    @Test
    void refusesAWrongTokenAnUnknownIdAndUnknownParameters() {
        try (Collector collector = Collector.start(config(dir), clock)) {
            URI base = collector.baseUri();
            TestAgent reader = new TestAgent(base, "edge-token");
            double unauthorized = reader.metric("vigil_ingest_rejected_total{reason=\"unauthorized\"}");

            HttpResponse<byte[]> anonymous = send(HttpRequest.newBuilder(base.resolve(PATH))
                    .POST(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(json(anonymous).getString("error")).isEqualTo("missing or wrong token for heartbeat "
                    + "'nightly-backup'");
            assertThat(beatResponse(base, PATH, bearer("edge-token")).statusCode()).isEqualTo(401);
            assertThat(beatResponse(base, "/api/v1/heartbeat/hourly-import", bearer("backup-token")).statusCode())
                    .isEqualTo(401);
            assertThat(reader.post(TestAgent.batch(List.of()), BatchCodec.MEDIA_TYPE, "backup-token").statusCode())
                    .isEqualTo(401);
            assertThat(reader.metric("vigil_ingest_rejected_total{reason=\"unauthorized\"}") - unauthorized)
                    .isEqualTo(4.0);
            assertError(beatResponse(base, "/api/v1/heartbeat/weekly", bearer("backup-token")), 404,
                    "no heartbeat check 'weekly' is configured");
            assertError(beatResponse(base, PATH + "?state=ok", bearer("backup-token")), 400,
                    "unknown parameter 'state' (known: detail, status)");
            assertError(beatResponse(base, PATH + "?status=maybe", bearer("backup-token")), 400,
                    "status must be ok or fail (was 'maybe')");
            assertError(beatResponse(base, PATH + "?status=ok&status=fail", bearer("backup-token")), 400,
                    "parameter 'status' is given more than once");
            assertError(beatResponse(base, PATH + "?detail=" + "x".repeat(513), bearer("backup-token")), 400,
                    "detail must be at most 512 bytes of UTF-8 (was 513)");
            assertThat(check(base)).isNull();
        }
    }

    @Test
    void aRestartInTheMiddleOfAMissedPeriodRecordsNoDeadlineTwiceAndEndsWithTheSameFigures(@TempDir Path other) {
        JsonObject uninterrupted = missedPeriodScenario(dir, false);
        clock.set(start.toEpochMilli());

        JsonObject restarted = missedPeriodScenario(other, true);

        assertThat(restarted).isEqualTo(uninterrupted);
        assertThat(restarted.getJsonObject("check").getLong("samples")).isEqualTo(4);
    }

    /** Heartbeat, a missed deadline, half a period (a restart there, or not), a second one, a heartbeat. */
    private JsonObject missedPeriodScenario(Path data, boolean restart) {
        Collector collector = Collector.start(config(data), clock);
        try {
            beat(collector.baseUri(), PATH, bearer("backup-token"), 200);
            clock.set(deadline.plusSeconds(1).toEpochMilli());
            URI first = collector.baseUri();
            await().atMost(WAIT).until(() -> check(first).getLong("samples") == 2);
            clock.set(deadline.plus(Duration.ofHours(12)).toEpochMilli());
            if (restart) {
                collector.close();
                collector = Collector.start(config(data), clock);
                // Ready means replayed and caught up: the deadline recorded before is not recorded again.
                assertThat(check(collector.baseUri()).getLong("samples")).isEqualTo(2);
                assertThat(check(collector.baseUri()).getString("state")).isEqualTo("down");
            }
            clock.set(deadline.plus(DAY).plusSeconds(1).toEpochMilli());
            URI base = collector.baseUri();
            await().atMost(WAIT).until(() -> check(base).getLong("samples") == 3);
            clock.set(deadline.plus(DAY).plus(Duration.ofHours(3)).toEpochMilli());
            beat(base, PATH, bearer("backup-token"), 200);
            clock.set(deadline.plus(DAY).plus(Duration.ofHours(4)).toEpochMilli());
            return snapshot(base);
        } finally {
            collector.close();
        }
    }

    @Test
    void aCollectorDownAcrossTwoDeadlinesRecordsBothWhenItStartsAndEndsWithTheSameFigures(@TempDir Path other) {
        Instant away = deadline.plus(DAY).plus(Duration.ofHours(1));
        JsonObject uninterrupted;
        try (Collector collector = Collector.start(config(dir), clock)) {
            URI base = collector.baseUri();
            beat(base, PATH, bearer("backup-token"), 200);
            clock.set(away.toEpochMilli());
            await().atMost(WAIT).until(() -> check(base).getLong("samples") == 3);
            clock.set(away.plus(Duration.ofHours(1)).toEpochMilli());
            beat(base, PATH, bearer("backup-token"), 200);
            uninterrupted = snapshot(base);
        }
        clock.set(start.toEpochMilli());

        try (Collector collector = Collector.start(config(other), clock)) {
            beat(collector.baseUri(), PATH, bearer("backup-token"), 200);
        }
        clock.set(away.toEpochMilli());
        try (Collector collector = Collector.start(config(other), clock)) {
            assertThat(check(collector.baseUri()).getLong("samples")).isEqualTo(3);
            assertThat(check(collector.baseUri()).getString("since")).isEqualTo(deadline.toString());
        }
        JsonObject restarted;
        try (Collector collector = Collector.start(config(other), clock)) {
            assertThat(check(collector.baseUri()).getLong("samples")).isEqualTo(3);
            clock.set(away.plus(Duration.ofHours(1)).toEpochMilli());
            beat(collector.baseUri(), PATH, bearer("backup-token"), 200);
            restarted = snapshot(collector.baseUri());
        }

        assertThat(restarted).isEqualTo(uninterrupted);
    }

    private static CollectorConfig config(Path directory) {
        return CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                heartbeats:
                  - id: nightly-backup
                    period: 24h
                    grace: 30m
                    token: backup-token
                  - id: hourly-import
                    period: 1h
                    token: import-token
                """, name -> null, directory);
    }

    /** The heartbeat check and the incidents as the API shows them. */
    private static JsonObject snapshot(URI base) {
        return new JsonObject().put("check", check(base))
                .put("incidents", new TestAgent(base, "edge-token").getJson("/api/v1/incidents"));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static JsonObject beat(URI base, String path, String authorization, int status) {
        HttpResponse<byte[]> response = beatResponse(base, path, authorization);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        return json(response);
    }

    private static HttpResponse<byte[]> beatResponse(URI base, String path, String authorization) {
        return send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    private static void assertError(HttpResponse<byte[]> response, int status, String error) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(json(response).getString("error")).isEqualTo(error);
    }

    private static HttpResponse<byte[]> send(HttpRequest request) {
        return new TestAgent(request.uri(), "unused").send(request);
    }

    private static JsonObject json(HttpResponse<byte[]> response) {
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
    }

    private static JsonObject check(URI base) {
        JsonArray checks = new TestAgent(base, "edge-token").getJson("/api/v1/checks").getJsonArray("checks");
        for (int i = 0; i < checks.size(); i++) {
            if (checks.getJsonObject(i).getString("id").equals(CHECK)) {
                return checks.getJsonObject(i);
            }
        }
        return null;
    }

    private static JsonObject onlyIncident(URI base) {
        JsonArray incidents = new TestAgent(base, "edge-token").getJson("/api/v1/incidents").getJsonArray("incidents");
        assertThat(incidents).hasSize(1);
        return incidents.getJsonObject(0);
    }
}
