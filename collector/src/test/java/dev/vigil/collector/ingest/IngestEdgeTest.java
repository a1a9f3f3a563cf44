package dev.vigil.collector.ingest;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.BatchCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ingest edge against clients that misbehave on purpose, over real HTTP and raw sockets: a
 * collector with a 1 MiB body limit, a 2 s request deadline, a 5 s idle timeout and one request in flight.
 */
class IngestEdgeTest {
    private static final int LIMIT = 1024 * 1024;
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static Collector collector;
    static TestAgent agent;

    @BeforeAll
    static void startCollector() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: token-1
                    tenant: acme
                ingest:
                  max_body_bytes: %d
                  request_timeout: 2s
                  idle_timeout: 5s
                  max_in_flight: 1
                """.formatted(LIMIT), name -> null, dir);
        collector = Collector.start(config, InstantSource.system());
        agent = new TestAgent(collector.baseUri(), "token-1");
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void refusesARequestWithoutCredentialsWith401AndStoresNothing() {
        double stored = journalEntries();
        byte[] body = TestAgent.batch(records("anonymous", "S", 0, System.currentTimeMillis(), 1_000));

        HttpResponse<byte[]> response = agent.post(body, BatchCodec.MEDIA_TYPE, null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(journalEntries()).isEqualTo(stored);
    }

    @Test
    void acceptsAGzipBodyAndNamesTheTenantOfTheAgent() {
        double requests = agent.metric("vigil_ingest_requests_total{agent=\"edge-1\",tenant=\"acme\"}");
        byte[] body = gzip(TestAgent.batch(records("gzipped", "SS", 0, System.currentTimeMillis(), 1_000)));

        HttpResponse<byte[]> response = agent.send(ingest(body).header("Content-Encoding", "gzip").build());

        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(agent.metric("vigil_ingest_requests_total{agent=\"edge-1\",tenant=\"acme\"}") - nanAsZero(requests))
                .isEqualTo(1.0);
    }

    @Test
    void refusesABodyOverTheLimitWith413AndStoresNothing() {
        double stored = journalEntries();
        double before = rejected("too_large");

        HttpResponse<byte[]> response = agent.post(new byte[LIMIT + 1], BatchCodec.MEDIA_TYPE, "token-1");

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(rejected("too_large") - before).isEqualTo(1.0);
        assertThat(journalEntries()).isEqualTo(stored);
    }

    @Test
    void cutsOffAGzipBombAtTheLimitWith413() {
        double stored = journalEntries();
        double before = rejected("too_large");
        byte[] bomb = GzipBomb.ONE_GIB_OF_ZEROS.get();
        long started = System.nanoTime();

        String answer;
        try (RawHttp raw = new RawHttp(collector.port())) {
            raw.write(RawHttp.ingestHead("token-1", bomb.length, "Content-Encoding: gzip\r\n"));
            // The collector may close the connection while the bomb is still being sent: write aside, read here.
            CompletableFuture<Boolean> sent = CompletableFuture.supplyAsync(() -> raw.write(bomb));
            answer = raw.readUntilClosed(GENEROUS);
            sent.join();
        }

        assertThat(answer).startsWith("HTTP/1.1 413 ").contains("body exceeds the limit of " + LIMIT + " bytes");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(GENEROUS);
        assertThat(rejected("too_large") - before).isEqualTo(1.0);
        assertThat(journalEntries()).isEqualTo(stored);
    }

    @Test
    void refusesAnEncodingItCannotUndoWith415() {
        double before = rejected("unsupported_encoding");
        byte[] body = TestAgent.batch(records("encoded", "S", 0, System.currentTimeMillis(), 1_000));

        HttpResponse<byte[]> response = agent.send(ingest(body).header("Content-Encoding", "compress").build());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(new String(response.body(), StandardCharsets.UTF_8))
                .contains("Content-Encoding must be gzip, deflate or identity (was 'compress')");
        assertThat(rejected("unsupported_encoding") - before).isEqualTo(1.0);
    }

    @Test
    void answers408AndClosesTheConnectionOfAClientTricklingItsBody() {
        double stored = journalEntries();
        double before = rejected("timeout");
        long started = System.nanoTime();

        String answer;
        try (RawHttp raw = new RawHttp(collector.port())) {
            raw.write(RawHttp.ingestHead("token-1", 1_000, ""));
            // One byte per 100 ms would take 100 s; the deadline is 2 s.
            boolean open = true;
            for (int i = 0; i < 200 && open && !timedOut(before); i++) {
                open = raw.write(new byte[] {0});
                await().pollDelay(Duration.ofMillis(100)).until(() -> true);
            }
            answer = raw.readUntilClosed(GENEROUS);
        }

        assertThat(answer).startsWith("HTTP/1.1 408 ").containsIgnoringCase("connection: close")
                .doesNotContain("<still open>");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(DEADLINE.multipliedBy(5));
        assertThat(rejected("timeout") - before).isEqualTo(1.0);
        assertThat(journalEntries()).isEqualTo(stored);
    }

    @Test
    void closesAConnectionTricklingItsRequestHeadWithinTheDeadline() {
        double before = rejected("timeout");
        String head = RawHttp.ingestHead("token-1", 0, "");

        try (RawHttp raw = new RawHttp(collector.port())) {
            boolean open = true;
            for (int i = 0; i < head.length() - 2 && open && !timedOut(before); i++) {
                open = raw.write(head.substring(i, i + 1));
                await().pollDelay(Duration.ofMillis(100)).until(() -> true);
            }
            assertThat(raw.closedByPeer(GENEROUS)).isTrue();
        }

        assertThat(rejected("timeout") - before).isEqualTo(1.0);
    }

    @Test
    void refuses429WithRetryAfterWhileTheInFlightCapIsReached() {
        double before = rejected("overloaded");
        byte[] body = TestAgent.batch(records("overload", "S", 0, System.currentTimeMillis(), 1_000));

        try (RawHttp stalled = new RawHttp(collector.port())) {
            // Admitted, then stuck reading its body: it holds the only slot until it ends.
            stalled.write(RawHttp.ingestHead("token-1", 1_000, "") + "x");
            HttpResponse<byte[]> refused = await().atMost(DEADLINE)
                    .until(() -> agent.post(body, BatchCodec.MEDIA_TYPE, "token-1"), r -> r.statusCode() == 429);

            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
        }
        assertThat(rejected("overloaded") - before).isGreaterThanOrEqualTo(1.0);
        await().atMost(GENEROUS).until(() -> agent.post(body, BatchCodec.MEDIA_TYPE, "token-1").statusCode() == 200);
    }

    @Test
    void refusesARequestLineOver4KiBWith414() {
        double before = rejected("uri_too_long");

        String answer;
        try (RawHttp raw = new RawHttp(collector.port())) {
            raw.write("POST " + IngestRoute.PATH + "?" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
            answer = raw.readUntilClosed(GENEROUS);
        }

        // Vert.x answers an unparsable request line as HTTP/1.0: it never learnt the request's version.
        assertThat(answer).matches("(?s)HTTP/1\\.[01] 414 .*");
        assertThat(rejected("uri_too_long") - before).isEqualTo(1.0);
    }

    @Test
    void refusesHeadersOver8KiBWith431() {
        double before = rejected("headers_too_large");

        String answer;
        try (RawHttp raw = new RawHttp(collector.port())) {
            raw.write(RawHttp.ingestHead("token-1", 0, "X-Padding: " + "a".repeat(9_000) + "\r\n"));
            answer = raw.readUntilClosed(GENEROUS);
        }

        assertThat(answer).matches("(?s)HTTP/1\\.[01] 431 .*");
        assertThat(rejected("headers_too_large") - before).isEqualTo(1.0);
    }

    private boolean timedOut(double before) {
        return rejected("timeout") > before;
    }

    private static HttpRequest.Builder ingest(byte[] body) {
        return HttpRequest.newBuilder(collector.baseUri().resolve(IngestRoute.PATH))
                .timeout(GENEROUS)
                .header("Content-Type", BatchCodec.MEDIA_TYPE)
                .header("Authorization", "Bearer token-1")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static double rejected(String reason) {
        return agent.metric("vigil_ingest_rejected_total{reason=\"" + reason + "\"}");
    }

    private static double journalEntries() {
        return agent.metric("vigil_collector_journal_entries_total");
    }

    private static double nanAsZero(double value) {
        return Double.isNaN(value) ? 0 : value;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
