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

        assertThat(ack).isEqualTo(new Ack(TestAgent.EPOCH, next + 2, -1, 3, 0, List.of()));
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

        assertThat(first).isEqualTo(new Ack(TestAgent.EPOCH, next + 4, -1, 5, 0, List.of()));
        assertThat(again).isEqualTo(new Ack(TestAgent.EPOCH, next + 4, -1, 0, 5, List.of()));
        assertThat(overlap).isEqualTo(new Ack(TestAgent.EPOCH, next + 5, -1, 1, 2, List.of()));
        JsonObject check = check("agent-a/dedup");
        assertThat(check.getLong("samples")).isEqualTo(6);
        assertThat(check.getJsonObject("windows").getJsonObject("1h").getLong("samples")).isEqualTo(6);
        assertThat(agentA.metric("vigil_ingest_duplicates_total{agent=\"agent-a\"}") - duplicatesBefore)
                .isEqualTo(7.0);
    }

    @Test
    void refusesAMissingOrUnknownTokenWith401() {
        byte[] body = TestAgent.batch(records("unauthorized", "S", 0, System.currentTimeMillis(), 1_000));
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
        byte[] body = TestAgent.batch(records("media", "S", 0, System.currentTimeMillis(), 1_000));

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
        byte[] whole = TestAgent.batch(records("malformed", "SSS", 0, System.currentTimeMillis(), 1_000));
        byte[] body = java.util.Arrays.copyOf(whole, whole.length - 3);
        long entries = journalEntries();

        HttpResponse<byte[]> response = agentA.post(body, BatchCodec.MEDIA_TYPE, "token-a");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(error(response)).matches("record 2 at byte \\d+: sample length \\d+ runs past the end of the "
                + "batch \\(\\d+ bytes left\\)");
        assertThat(agentA.metric("vigil_ingest_rejected_total{reason=\"malformed\"}")).isEqualTo(1.0);
        assertThat(check("agent-a/malformed")).isNull();
        assertThat(journalEntries()).isEqualTo(entries);
    }

    @Test
    void answersAnUnknownOutcomeCodeWith422SoTheAgentKeepsTheBatchAndStoresNothing() {
        long next = nextIndex();
        byte[] body = TestAgent.batch(records("newer", "SS", next, System.currentTimeMillis(), 1_000));
        int outcome = outcomeOffset(body, 1, "newer");
        body[outcome] = (byte) 200;
        long entries = journalEntries();

        HttpResponse<byte[]> response = agentA.post(body, BatchCodec.MEDIA_TYPE, "token-a");

        assertThat(response.statusCode()).isEqualTo(422);
        assertThat(error(response)).startsWith("record 1: unknown outcome code 200 in sample at byte")
                .endsWith("nothing of this batch was stored, upgrade the collector");
        assertThat(check("agent-a/newer")).isNull();
        assertThat(journalEntries()).isEqualTo(entries);
        assertThat(nextIndex()).isEqualTo(next);
    }

    @Test
    void refusesAnInvalidRecordForGoodAndKeepsTheRestOfItsBatch() {
        long next = nextIndex();
        byte[] body = TestAgent.batch(records("partly", "SSS", next, System.currentTimeMillis() - 10_000, 1_000));
        // The second record's check id becomes empty: its length varint, just before the id, is set to 0.
        int checkIdLength = outcomeOffset(body, 1, "partly") - 2 - 6 - "partly".length() - 1;
        assertThat(body[checkIdLength]).isEqualTo((byte) "partly".length());
        body[checkIdLength] = 0;

        HttpResponse<byte[]> response = agentA.post(body, BatchCodec.MEDIA_TYPE, "token-a");

        assertThat(response.statusCode()).isEqualTo(200);
        Ack ack = dev.vigil.protocol.AckCodec.decode(response.body());
        assertThat(ack.ackedIndex()).isEqualTo(next + 2);
        assertThat(ack.accepted()).isEqualTo(2);
        assertThat(ack.rejections()).singleElement().satisfies(rejection -> {
            assertThat(rejection.journalIndex()).isEqualTo(next + 1);
            assertThat(rejection.reason()).isEqualTo(dev.vigil.protocol.RejectionReason.INVALID);
            assertThat(rejection.message()).startsWith("record 1: ");
        });
        assertThat(check("agent-a/partly").getLong("samples")).isEqualTo(2);
        assertThat(agentA.metric("vigil_ingest_records_rejected_total{agent=\"agent-a\",reason=\"invalid\"}"))
                .isEqualTo(1.0);
    }

    /** Where record {@code record}'s outcome byte is, for records written by {@link TestAgent#records}. */
    private static int outcomeOffset(byte[] body, int record, String checkId) {
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        in.position(4 + 1 + 8 + 16 + 2 + 4);
        for (int i = 0; ; i++) {
            readVarint(in);
            int length = (int) readVarint(in);
            int start = in.position();
            if (i == record) {
                in.position(start + 1 + checkId.length());
                readVarint(in);
                readVarint(in);
                return in.position();
            }
            in.position(start + length);
        }
    }

    private static long readVarint(java.nio.ByteBuffer in) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = in.get();
            value |= (long) (b & 0x7F) << shift;
            if (b >= 0) {
                return value;
            }
        }
    }

    private static long journalEntries() {
        return (long) agentA.metric("vigil_collector_journal_entries_total");
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
