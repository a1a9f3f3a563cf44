package dev.vigil.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.TestClock;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.RejectionReason;
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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code POST /api/v1/samples} on a real collector whose clock the test holds still: validation,
 * retries, the horizon, ordering, and what survives a restart.
 */
class SamplesEndpointTest {
    private static final String NOTHING = "; no sample of this request was stored";
    private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.HOURS);

    @TempDir
    static Path dir;
    static final TestClock clock = new TestClock(NOW.toEpochMilli());
    static Collector collector;
    static TestAgent reader;

    @BeforeAll
    static void startCollector() {
        collector = Collector.start(config(dir), clock);
        reader = new TestAgent(collector.baseUri(), "tool-token");
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    static CollectorConfig config(Path directory) {
        return CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                  - name: tool
                    token: tool-token
                """, name -> null, directory);
    }

    @Test
    void appliesPostedSamplesToTheCheckOfTheToolThatAuthenticated() {
        JsonObject answer = post(collector.baseUri(), "tool-token", samples(
                sample("applies", NOW.minusSeconds(120), "\"success\": true, \"latency_ms\": 12.5"),
                sample("applies", NOW.minusSeconds(60), "\"success\": false, \"outcome\": \"timeout\", "
                        + "\"duration\": \"2.5s\", \"detail\": \"no answer\""),
                sample("applies", NOW.minusSeconds(30), "\"outcome\": \"status_mismatch\", \"status_code\": 503"),
                sample("applies", NOW.toEpochMilli(), "\"outcome\": \"ok\", \"duration\": \"250us\", "
                        + "\"phases\": {\"dns_ms\": 0.1, \"connect_ms\": 0.05, \"tls_ms\": null}")), 200);

        assertThat(answer).isEqualTo(new JsonObject().put("accepted", 4).put("duplicates", 0)
                .put("rejected", new JsonArray()));
        JsonObject check = check("tool/applies");
        assertThat(check.getLong("samples")).isEqualTo(4);
        assertThat(check.getString("lastOutcome")).isEqualTo("OK");
        assertThat(check.getString("lastSampleAt")).isEqualTo(NOW.toString());
        // Two failures in a row (default thresholds) opened an outage from the first one.
        assertThat(reader.getJson("/api/v1/incidents").getJsonArray("incidents").stream()
                .map(incident -> ((JsonObject) incident).getString("key")))
                .contains("check/tool/applies@" + NOW.minusSeconds(60).toEpochMilli());
    }

    @Test
    void answersARetriedRequestWithDuplicatesAndDoublesNothing() {
        String body = samples(
                sample("retry", NOW.minusSeconds(50), "\"success\": true, \"latency_ms\": 3"),
                sample("retry", NOW.minusSeconds(40), "\"success\": true, \"latency_ms\": 4"),
                sample("retry", NOW.minusSeconds(30), "\"success\": true, \"latency_ms\": 5"));
        double acceptedBefore = reader.metric("vigil_ingest_samples_total{agent=\"tool\"}");
        double duplicatesBefore = reader.metric("vigil_ingest_duplicates_total{agent=\"tool\"}");

        JsonObject first = post(collector.baseUri(), "tool-token", body, 200);
        JsonObject retried = post(collector.baseUri(), "tool-token", body, 200);

        assertThat(first.getInteger("accepted")).isEqualTo(3);
        assertThat(retried).isEqualTo(new JsonObject().put("accepted", 0).put("duplicates", 3)
                .put("rejected", new JsonArray()));
        assertThat(check("tool/retry").getLong("samples")).isEqualTo(3);
        assertThat(reader.metric("vigil_ingest_samples_total{agent=\"tool\"}") - acceptedBefore).isEqualTo(3.0);
        assertThat(reader.metric("vigil_ingest_duplicates_total{agent=\"tool\"}") - duplicatesBefore).isEqualTo(3.0);
    }

    @Test
    void sortsARequestByScheduledTimePerCheckAndAnswersRepeatsWithinItAsDuplicates() {
        JsonObject answer = post(collector.baseUri(), "tool-token", samples(
                sample("unsorted", NOW.minusSeconds(10), "\"success\": true, \"latency_ms\": 1"),
                sample("unsorted", NOW.minusSeconds(30), "\"success\": true, \"latency_ms\": 1"),
                sample("unsorted", NOW.minusSeconds(20), "\"success\": true, \"latency_ms\": 1"),
                sample("unsorted", NOW.minusSeconds(20), "\"success\": false")), 200);

        assertThat(answer.getInteger("accepted")).isEqualTo(3);
        assertThat(answer.getInteger("duplicates")).isEqualTo(1);
        assertThat(check("tool/unsorted").getString("lastSampleAt")).isEqualTo(NOW.minusSeconds(10).toString());
        assertThat(check("tool/unsorted").getString("lastOutcome")).isEqualTo("OK");
    }

    @Test
    void backfillsWithinTheHorizonAndRefusesEachSampleBeyondItOnItsOwn() {
        Instant oldest = NOW.minus(Duration.ofDays(35));
        double tooOldBefore = reader.metric("vigil_ingest_external_rejected_total{agent=\"tool\",reason=\"too_old\"}");

        JsonObject answer = post(collector.baseUri(), "tool-token", samples(
                sample("backfill", oldest.minusMillis(1), "\"success\": true, \"latency_ms\": 1"),
                sample("backfill", oldest, "\"success\": true, \"latency_ms\": 2"),
                sample("backfill", NOW.minus(Duration.ofDays(20)), "\"success\": false"),
                sample("backfill", NOW.minus(Duration.ofDays(20)).plusSeconds(60), "\"success\": false"),
                sample("backfill", NOW.minus(Duration.ofDays(19)), "\"success\": true, \"latency_ms\": 3"),
                sample("backfill", NOW.minus(Duration.ofDays(19)).plusSeconds(60),
                        "\"success\": true, \"latency_ms\": 3"),
                sample("backfill-future", NOW.plus(Duration.ofMinutes(5)), "\"success\": true, \"latency_ms\": 4"),
                sample("backfill-future", NOW.plus(Duration.ofMinutes(5)).plusMillis(1), "\"success\": false")), 200);

        assertThat(answer.getInteger("accepted")).isEqualTo(6);
        assertThat(answer.getInteger("duplicates")).isZero();
        assertThat(answer.getJsonArray("rejected")).containsExactly(
                new JsonObject().put("index", 0).put("check", "backfill")
                        .put("time", oldest.minusMillis(1).toString()).put("reason", "too_old")
                        .put("message", "scheduled at " + oldest.minusMillis(1) + " is more than 35 days before the "
                                + "collector's clock (" + NOW + "), beyond every SLA window"),
                new JsonObject().put("index", 7).put("check", "backfill-future")
                        .put("time", NOW.plus(Duration.ofMinutes(5)).plusMillis(1).toString()).put("reason", "future")
                        .put("message", "scheduled at " + NOW.plus(Duration.ofMinutes(5)).plusMillis(1)
                                + " is more than 5 minutes after the collector's clock (" + NOW
                                + "): check the sender's clock"));
        JsonObject check = check("tool/backfill");
        assertThat(check.getLong("samples")).isEqualTo(5);
        assertThat(check.getString("state")).isEqualTo("up");
        // The backfilled outage of 20 days ago counts in the 30-day window: down from the first failure
        // for the minute to the second one and the 5-minute no-data delay after it; the rest of the day
        // until the next sample is no data, not downtime.
        JsonObject month = check.getJsonObject("windows").getJsonObject("30d");
        assertThat(month.getInteger("outages")).isEqualTo(1);
        assertThat(month.getDouble("downtimeSeconds")).isEqualTo(360.0);
        assertThat(month.getDouble("noDataSeconds")).isGreaterThan(86_400.0 - 360.0);
        assertThat(reader.metric("vigil_ingest_external_rejected_total{agent=\"tool\",reason=\"too_old\"}")
                - tooOldBefore).isEqualTo(1.0);
    }

    @Test
    void recognisesARetryAmongTheLastThousandSamplesOfACheckAndCallsOlderRepeatsOutOfOrder() {
        List<String> first = new ArrayList<>();
        List<String> second = new ArrayList<>();
        for (int i = 0; i < SampleJson.MAX_SAMPLES; i++) {
            first.add(sample("ring", NOW.minusSeconds(3_000 - i), "\"success\": true, \"latency_ms\": 1"));
            if (i < 500) {
                second.add(sample("ring", NOW.minusSeconds(1_000 - i), "\"success\": true, \"latency_ms\": 1"));
            }
        }
        post(collector.baseUri(), "tool-token", samples(first.toArray(String[]::new)), 200);
        post(collector.baseUri(), "tool-token", samples(second.toArray(String[]::new)), 200);

        JsonObject retried = post(collector.baseUri(), "tool-token", samples(first.toArray(String[]::new)), 200);
        JsonObject retriedAgain = post(collector.baseUri(), "tool-token", samples(second.toArray(String[]::new)), 200);

        // The first 500 of the first request fell out of the check's last 1000: out of order, just as harmless.
        assertThat(retried.getInteger("accepted")).isZero();
        assertThat(retried.getInteger("duplicates")).isEqualTo(500);
        assertThat(retried.getJsonArray("rejected")).hasSize(500)
                .allSatisfy(r -> assertThat(((JsonObject) r).getString("reason")).isEqualTo("out_of_order"));
        assertThat(retried.getJsonArray("rejected").getJsonObject(499).getInteger("index")).isEqualTo(499);
        assertThat(retriedAgain.getInteger("duplicates")).isEqualTo(500);
        assertThat(check("tool/ring").getLong("samples")).isEqualTo(1_500);
    }

    @Test
    void refusesASampleAtOrBeforeItsChecksLastOneAsOutOfOrder() {
        post(collector.baseUri(), "tool-token", samples(
                sample("late", NOW.minusSeconds(10), "\"success\": true, \"latency_ms\": 1")), 200);

        JsonObject answer = post(collector.baseUri(), "tool-token", samples(
                sample("late", NOW.minusSeconds(20), "\"success\": false"),
                sample("late", NOW.minusSeconds(5), "\"success\": false")), 200);

        assertThat(answer.getInteger("accepted")).isEqualTo(1);
        assertThat(answer.getJsonArray("rejected")).containsExactly(new JsonObject().put("index", 0)
                .put("check", "late").put("time", NOW.minusSeconds(20).toString()).put("reason", "out_of_order")
                .put("message", "scheduled at " + NOW.minusSeconds(20) + " is not after the last sample applied to "
                        + "check 'late' (scheduled at " + NOW.minusSeconds(10) + "); a check's samples must arrive "
                        + "in scheduled order"));
        assertThat(check("tool/late").getLong("samples")).isEqualTo(2);
    }

    @Test
    void refusesAWholeRequestWhoseFourthSampleIsMalformedAndStoresNoneOfIt() {
        HttpResponse<byte[]> response = send(collector.baseUri(), "tool-token", samples(
                sample("whole", NOW.minusSeconds(40), "\"success\": true, \"latency_ms\": 1"),
                sample("whole", NOW.minusSeconds(30), "\"success\": true, \"latency_ms\": 1"),
                sample("whole", NOW.minusSeconds(20), "\"success\": true, \"latency_ms\": 1"),
                "{\"check\": \"whole\", \"time\": \"yesterday\", \"success\": true, \"latency_ms\": 1}"));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("error")).isEqualTo("samples[3].time: must be an ISO-8601 time with an "
                + "offset, e.g. 2026-11-27T10:00:00Z, or epoch milliseconds (was \"yesterday\")" + NOTHING);
        assertThat(check("tool/whole")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void refusesAMalformedBodyNamingTheElementAndTheField(String rule, String body, String error) {
        double before = reader.metric("vigil_ingest_rejected_total{reason=\"malformed\"}");

        HttpResponse<byte[]> response = send(collector.baseUri(), "tool-token", body);

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).getString("error")).isEqualTo(error + NOTHING);
        assertThat(check("tool/bad")).isNull();
        assertThat(reader.metric("vigil_ingest_rejected_total{reason=\"malformed\"}") - before).isEqualTo(1.0);
    }

    static Stream<Arguments> malformedBodies() {
        String at = "\"time\": \"" + NOW + "\"";
        String ok = "\"check\": \"bad\", " + at + ", \"success\": true, \"latency_ms\": 1";
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= SampleJson.MAX_SAMPLES; i++) {
            many.add("{" + ok + "}");
        }
        return Stream.of(
                Arguments.of("empty body", "", "body: is empty; expected {\"samples\": [...]}"),
                Arguments.of("not an object", "[1]", "body: must be an object (was a list)"),
                Arguments.of("no samples", "{}", "samples: is required, a list of samples"),
                Arguments.of("samples not a list", "{\"samples\": {}}", "samples: must be a list (was an object)"),
                Arguments.of("unknown top field", "{\"samples\": [], \"source\": \"nagios\"}",
                        "source: unknown field (known: samples)"),
                Arguments.of("too many", "{\"samples\": [" + String.join(",", many) + "]}",
                        "samples: at most 1000 samples per request (was 1001); split them into several requests"),
                Arguments.of("element not an object", "{\"samples\": [1]}", "samples[0]: must be an object (was 1)"),
                Arguments.of("unknown field", "{\"samples\": [{" + ok + ", \"host\": \"a\"}]}",
                        "samples[0].host: unknown field (known: check, detail, duration, latency_ms, outcome, phases, "
                                + "status_code, success, time)"),
                Arguments.of("missing check", "{\"samples\": [{" + at + ", \"success\": false}]}",
                        "samples[0].check: is required"),
                Arguments.of("check not a string", "{\"samples\": [{\"check\": 5, " + at + ", \"success\": false}]}",
                        "samples[0].check: must be a string (was 5)"),
                Arguments.of("check id shape", "{\"samples\": [{\"check\": \"bad check\", " + at
                        + ", \"success\": false}]}", "samples[0].check: must be 1..128 characters of A-Z, a-z, 0-9, "
                        + "'.', '_' or '-' (was \"bad check\")"),
                Arguments.of("missing time", "{\"samples\": [{\"check\": \"bad\", \"success\": false}]}",
                        "samples[0].time: is required"),
                Arguments.of("time not a time", "{\"samples\": [{\"check\": \"bad\", \"time\": \"2026-11-27 10:00\", "
                        + "\"success\": false}]}", "samples[0].time: must be an ISO-8601 time with an offset, e.g. "
                        + "2026-11-27T10:00:00Z, or epoch milliseconds (was \"2026-11-27 10:00\")"),
                Arguments.of("time in fractional milliseconds", "{\"samples\": [{\"check\": \"bad\", \"time\": "
                        + "1764237600000.5, \"success\": false}]}", "samples[0].time: epoch milliseconds must be a "
                        + "whole number of milliseconds (was 1764237600000.5)"),
                Arguments.of("time a boolean", "{\"samples\": [{\"check\": \"bad\", \"time\": true, "
                        + "\"success\": false}]}", "samples[0].time: must be an ISO-8601 time string or epoch "
                        + "milliseconds (was true)"),
                Arguments.of("no success and no outcome", "{\"samples\": [{\"check\": \"bad\", " + at + "}]}",
                        "samples[0]: must set success or outcome"),
                Arguments.of("success not a boolean", "{\"samples\": [{\"check\": \"bad\", " + at
                        + ", \"success\": \"yes\"}]}", "samples[0].success: must be true or false (was \"yes\")"),
                Arguments.of("unknown outcome", "{\"samples\": [{\"check\": \"bad\", " + at
                        + ", \"outcome\": \"broken\"}]}", "samples[0].outcome: must be one of ok, dns_failed, "
                        + "connect_refused, connect_timeout, connection_reset, tls_failed, timeout, status_mismatch, "
                        + "body_mismatch, protocol_error, network_unreachable, cert_expiring, assertion_failed, "
                        + "agent_error, too_many_redirects, body_too_large, packet_loss, threshold_exceeded, "
                        + "not_permitted (was \"broken\")"),
                Arguments.of("skipped", "{\"samples\": [{\"check\": \"bad\", " + at + ", \"outcome\": \"skipped\"}]}",
                        "samples[0].outcome: skipped is not a measurement; leave the run out instead"),
                Arguments.of("outcome contradicts success", "{\"samples\": [{\"check\": \"bad\", " + at
                        + ", \"success\": true, \"outcome\": \"timeout\", \"latency_ms\": 1}]}",
                        "samples[0].outcome: timeout is a failure but success is true"),
                Arguments.of("latency twice", "{\"samples\": [{" + ok + ", \"duration\": \"1ms\"}]}",
                        "samples[0]: set latency_ms or duration, not both"),
                Arguments.of("success without latency", "{\"samples\": [{\"check\": \"bad\", " + at
                        + ", \"success\": true}]}", "samples[0]: a successful sample needs latency_ms or duration"),
                Arguments.of("negative latency", "{\"samples\": [{\"check\": \"bad\", " + at
                        + ", \"success\": true, \"latency_ms\": -1}]}", "samples[0].latency_ms: must be a number of "
                        + "milliseconds from 0 to 3600000 (was -1)"),
                Arguments.of("latency over an hour", "{\"samples\": [{\"check\": \"bad\", " + at
                        + ", \"success\": true, \"latency_ms\": 3600000.1}]}", "samples[0].latency_ms: must be a "
                        + "number of milliseconds from 0 to 3600000 (was 3600000.1)"),
                Arguments.of("duration not a duration", "{\"samples\": [{\"check\": \"bad\", " + at
                        + ", \"success\": true, \"duration\": \"fast\"}]}", "samples[0].duration: must be a duration "
                        + "such as 12.5ms, 250us or 1.2s (was \"fast\")"),
                Arguments.of("duration over an hour", "{\"samples\": [{\"check\": \"bad\", " + at
                        + ", \"success\": true, \"duration\": \"3601s\"}]}",
                        "samples[0].duration: must be at most 1h (was \"3601s\")"),
                Arguments.of("phases not an object", "{\"samples\": [{" + ok + ", \"phases\": 5}]}",
                        "samples[0].phases: must be an object (was 5)"),
                Arguments.of("unknown phase", "{\"samples\": [{" + ok + ", \"phases\": {\"total_ms\": 1}}]}",
                        "samples[0].phases.total_ms: unknown field (known: connect_ms, dns_ms, first_byte_ms, tls_ms)"),
                Arguments.of("negative phase", "{\"samples\": [{" + ok + ", \"phases\": {\"dns_ms\": -2}}]}",
                        "samples[0].phases.dns_ms: must be a number of milliseconds from 0 to 3600000 (was -2)"),
                Arguments.of("status code out of range", "{\"samples\": [{" + ok + ", \"status_code\": 70000}]}",
                        "samples[0].status_code: must be a whole number from 0 to 65535 (was 70000)"),
                Arguments.of("detail not a string", "{\"samples\": [{" + ok + ", \"detail\": 3}]}",
                        "samples[0].detail: must be a string (was 3)"),
                Arguments.of("detail too long", "{\"samples\": [{" + ok + ", \"detail\": \"" + "é".repeat(257)
                        + "\"}]}", "samples[0].detail: must be at most 512 bytes of UTF-8 (was 514 bytes)"),
                Arguments.of("duplicate key", "{\"samples\": [{" + ok + ", \"check\": \"other\"}]}",
                        "body: is not valid JSON: Duplicate field 'check' at line 1, column "
                                + (("{\"samples\": [{" + ok + ", \"check\"").length() + 1)),
                Arguments.of("trailing content", "{\"samples\": []} {}",
                        "body: has more after the JSON value at line 1, column 17"));
    }

    @Test
    void refusesAMissingTokenAMissingMediaTypeAndAnotherMethod() {
        String body = samples(sample("edge", NOW, "\"success\": false"));

        HttpResponse<byte[]> anonymous = send(collector.baseUri(), null, body);
        HttpResponse<byte[]> plain = reader.send(HttpRequest.newBuilder(collector.baseUri().resolve(SamplesRoute.PATH))
                .header("Authorization", "Bearer tool-token").header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        HttpResponse<byte[]> get = reader.get(SamplesRoute.PATH);

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(json(anonymous).getString("error")).isEqualTo("missing or unknown bearer token");
        assertThat(plain.statusCode()).isEqualTo(415);
        assertThat(json(plain).getString("error"))
                .isEqualTo("Content-Type must be application/json (was 'text/plain')");
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(check("tool/edge")).isNull();
    }

    @Test
    void refusesABatchFromTheEpochReservedForSamplesFromElsewhere() {
        TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");

        Ack ack = agent.ship(ExternalSamples.EPOCH, List.<Gap>of(),
                TestAgent.records("reserved", "S", 7, NOW.toEpochMilli(), 1_000));

        assertThat(ack.accepted()).isZero();
        assertThat(ack.ackedIndex()).isEqualTo(7);
        assertThat(ack.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.reason()).isEqualTo(RejectionReason.INVALID);
            assertThat(rejection.message()).startsWith("journal epoch " + Long.MAX_VALUE + " is reserved");
        });
        assertThat(check("edge-1/reserved")).isNull();
        assertThat(agent.post(TestAgent.batch(List.of()), BatchCodec.MEDIA_TYPE, "edge-token").statusCode())
                .isEqualTo(200);
    }

    @Test
    void keepsAcceptedSamplesAcrossARestartAndStillRecognisesTheirRetry(@TempDir Path own) {
        String body = samples(
                sample("restart", NOW.minusSeconds(20), "\"success\": false"),
                sample("restart", NOW.minusSeconds(10), "\"success\": false"));
        JsonObject before;
        try (Collector first = Collector.start(config(own), clock)) {
            assertThat(post(first.baseUri(), "tool-token", body, 200).getInteger("accepted")).isEqualTo(2);
            before = checkOn(first.baseUri(), "tool/restart");
        }

        try (Collector second = Collector.start(config(own), clock)) {
            assertThat(checkOn(second.baseUri(), "tool/restart")).isEqualTo(before);
            assertThat(post(second.baseUri(), "tool-token", body, 200)).isEqualTo(new JsonObject()
                    .put("accepted", 0).put("duplicates", 2).put("rejected", new JsonArray()));
            assertThat(checkOn(second.baseUri(), "tool/restart").getString("state")).isEqualTo("down");
        }
    }

    static String sample(String check, Instant time, String fields) {
        return "{\"check\": \"" + check + "\", \"time\": \"" + time + "\", " + fields + "}";
    }

    static String sample(String check, long epochMillis, String fields) {
        return "{\"check\": \"" + check + "\", \"time\": " + epochMillis + ", " + fields + "}";
    }

    static String samples(String... samples) {
        return "{\"samples\": [" + String.join(", ", samples) + "]}";
    }

    static JsonObject post(URI base, String token, String body, int status) {
        HttpResponse<byte[]> response = send(base, token, body);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        return json(response);
    }

    static HttpResponse<byte[]> send(URI base, String token, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(SamplesRoute.PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return reader.send(request.build());
    }

    static JsonObject json(HttpResponse<byte[]> response) {
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
    }

    static JsonObject check(String id) {
        return checkOn(collector.baseUri(), id);
    }

    static JsonObject checkOn(URI base, String id) {
        JsonArray checks = new TestAgent(base, "tool-token").getJson("/api/v1/checks").getJsonArray("checks");
        for (int i = 0; i < checks.size(); i++) {
            if (checks.getJsonObject(i).getString("id").equals(id)) {
                return checks.getJsonObject(i);
            }
        }
        return null;
    }
}
