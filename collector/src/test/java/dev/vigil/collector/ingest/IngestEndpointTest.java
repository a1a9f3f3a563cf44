package dev.vigil.collector.ingest;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.SampleRecord;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestEndpointTest {
    @TempDir
    static Path dir;
    static Collector collector;
    static TestAgent agentA;

    @BeforeAll
    static void startCollector() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: agent-a
                    token: token-a
                  - name: agent-b
                    token: token-b
                """, name -> null, dir);
        collector = Collector.start(config, InstantSource.system());
        agentA = new TestAgent(collector.baseUri(), "token-a");
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void acksANewBatchWithItsHighestIndexAndAppliesIt() {
        long now = System.currentTimeMillis();
        long next = nextIndex();

        Ack ack = agentA.ship(records("accept", "SSS", next, now - 30_000, 10_000));

        assertThat(ack).isEqualTo(new Ack(next + 2, 3, 0));
        JsonObject check = check("agent-a/accept");
        assertThat(check.getLong("samples")).isEqualTo(3);
        assertThat(check.getString("state")).isEqualTo("up");
    }

    @Test
    void takesTheAgentFromTheTokenNotFromThePayload() {
        long now = System.currentTimeMillis();

        new TestAgent(collector.baseUri(), "token-b").ship(records("identity", "S", 0, now, 1_000));

        assertThat(check("agent-b/identity")).isNotNull();
        assertThat(check("agent-a/identity")).isNull();
    }

    @Test
    void ignoresAResentBatchAndCountsItsDuplicatesWithoutDoublingTheFigures() {
        long now = System.currentTimeMillis();
        long next = nextIndex();
        List<SampleRecord> batch = records("dedup", "SSSSS", next, now - 50_000, 10_000);
        double duplicatesBefore = agentA.metric("vigil_ingest_duplicates_total{agent=\"agent-a\"}");

        Ack first = agentA.ship(batch);
        Ack again = agentA.ship(batch);
        List<SampleRecord> overlapping = new ArrayList<>(batch.subList(3, 5));
        overlapping.addAll(records("dedup", "S", next + 5, now, 1_000));
        Ack overlap = agentA.ship(overlapping);

        assertThat(first).isEqualTo(new Ack(next + 4, 5, 0));
        assertThat(again).isEqualTo(new Ack(next + 4, 0, 5));
        assertThat(overlap).isEqualTo(new Ack(next + 5, 1, 2));
        JsonObject check = check("agent-a/dedup");
        assertThat(check.getLong("samples")).isEqualTo(6);
        assertThat(check.getJsonObject("windows").getJsonObject("1h").getLong("samples")).isEqualTo(6);
        assertThat(agentA.metric("vigil_ingest_duplicates_total{agent=\"agent-a\"}") - duplicatesBefore)
                .isEqualTo(7.0);
    }

    @Test
    void refusesAMissingOrUnknownTokenWith401() {
        byte[] body = BatchCodec.encode(records("unauthorized", "S", 0, System.currentTimeMillis(), 1_000));
        double before = agentA.metric("vigil_ingest_rejected_total{reason=\"unauthorized\"}");

        HttpResponse<byte[]> missing = agentA.post(body, BatchCodec.MEDIA_TYPE, null);
        HttpResponse<byte[]> unknown = agentA.post(body, BatchCodec.MEDIA_TYPE, "token-c");

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(unknown.statusCode()).isEqualTo(401);
        assertThat(error(unknown)).isEqualTo("missing or unknown bearer token");
        assertThat(unknown.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(agentA.metric("vigil_ingest_rejected_total{reason=\"unauthorized\"}") - before).isEqualTo(2.0);
        assertThat(check("agent-a/unauthorized")).isNull();
    }

    @Test
    void refusesAnotherContentTypeWith415() {
        byte[] body = BatchCodec.encode(records("media", "S", 0, System.currentTimeMillis(), 1_000));

        HttpResponse<byte[]> response = agentA.post(body, "application/octet-stream", "token-a");

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(error(response)).isEqualTo(
                "Content-Type must be application/vnd.vigil.batch (was 'application/octet-stream')");
        assertThat(agentA.metric("vigil_ingest_rejected_total{reason=\"unsupported_media_type\"}")).isEqualTo(1.0);
    }

    @Test
    void refusesABodyOver16MiBWith413() {
        byte[] body = new byte[(int) IngestRoute.BODY_LIMIT_BYTES + 1];

        HttpResponse<byte[]> response = agentA.post(body, BatchCodec.MEDIA_TYPE, "token-a");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(error(response)).isEqualTo("body exceeds the limit of 16777216 bytes");
        assertThat(agentA.metric("vigil_ingest_rejected_total{reason=\"too_large\"}")).isEqualTo(1.0);
    }

    @Test
    void refusesAMalformedBatchWith400NamingRecordAndByteAndKeepsNothingOfIt() {
        byte[] body = BatchCodec.encode(records("malformed", "SSS", 0, System.currentTimeMillis(), 1_000));
        // The third record's outcome byte: header 9, each record 8 (index) + 81 (sample with "malformed"),
        // the outcome at offset 2 + 9 + 8 + 8 into the sample.
        int recordBytes = (body.length - 9) / 3;
        int outcomeOffset = 9 + 2 * recordBytes + 8 + 2 + "malformed".length() + 8 + 8;
        body[outcomeOffset] = (byte) 200;

        HttpResponse<byte[]> response = agentA.post(body, BatchCodec.MEDIA_TYPE, "token-a");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).isEqualTo("record 2: invalid outcome in sample at byte "
                + (9 + 2 * recordBytes + 8) + ": unknown outcome code 200");
        assertThat(agentA.metric("vigil_ingest_rejected_total{reason=\"malformed\"}")).isEqualTo(1.0);
        assertThat(check("agent-a/malformed")).isNull();
    }

    /** The tests share agent-a's high-water mark, so each starts its indexes above it. */
    private static long nextIndex() {
        return agentA.ship(List.of()).ackedIndex() + 1;
    }

    private static String error(HttpResponse<byte[]> response) {
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8)).getString("error");
    }

    private static JsonObject check(String id) {
        for (Object check : agentA.getJson("/api/v1/checks").getJsonArray("checks")) {
            if (((JsonObject) check).getString("id").equals(id)) {
                return (JsonObject) check;
            }
        }
        return null;
    }
}
