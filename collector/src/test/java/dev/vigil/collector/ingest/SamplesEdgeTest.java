package dev.vigil.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The samples API shares ingest's edge: a collector with a 1 KiB body limit, a 2 s request deadline
 * and one request in flight, against clients that hold a slot, trickle or send too much.
 */
class SamplesEdgeTest {
    private static final Duration DEADLINE = Duration.ofSeconds(2);
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    static Collector collector;
    static TestAgent reader;

    @BeforeAll
    static void startCollector() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: tool
                    token: tool-token
                ingest:
                  max_body_bytes: 1024
                  request_timeout: 2s
                  idle_timeout: 5s
                  max_in_flight: 1
                """, name -> null, dir);
        collector = Collector.start(config, InstantSource.system());
        reader = new TestAgent(collector.baseUri(), "tool-token");
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    @Test
    void refuses429WithRetryAfterWhileASampleRequestHoldsTheOnlySlot() {
        double before = rejected("overloaded");
        String body = "{\"samples\": [{\"check\": \"slot\", \"time\": \"" + Instant.now() + "\", \"success\": false}]}";

        try (RawHttp stalled = new RawHttp(collector.port())) {
            // Admitted, then stuck reading its body: it holds the only slot until it ends.
            stalled.write(head(500) + "{");
            HttpResponse<byte[]> refused = await().atMost(DEADLINE).until(() -> post(body), r -> r.statusCode() == 429);

            assertThat(refused.headers().firstValue("Retry-After")).contains("1");
            assertThat(text(refused)).isEqualTo("{\"error\":\"more than 1 sample requests in flight; retry after "
                    + "the time in Retry-After\"}");
        }
        assertThat(rejected("overloaded") - before).isGreaterThanOrEqualTo(1.0);
        await().atMost(GENEROUS).until(() -> post(body).statusCode() == 200);
    }

    @Test
    void answers408ToAClientThatDoesNotSendItsBodyInTime() {
        double before = rejected("timeout");

        String answer;
        try (RawHttp raw = new RawHttp(collector.port())) {
            raw.write(head(100) + "{\"sam");
            answer = raw.readUntilClosed(GENEROUS);
        }

        assertThat(answer).startsWith("HTTP/1.1 408").contains("the request was not received within 2000 ms");
        assertThat(rejected("timeout") - before).isEqualTo(1.0);
    }

    @Test
    void refusesABodyOverTheLimitWith413AndStoresNothing() {
        String body = "{\"samples\": [{\"check\": \"big\", \"time\": \"" + Instant.now() + "\", \"success\": false, "
                + "\"detail\": \"" + "x".repeat(1_100) + "\"}]}";

        HttpResponse<byte[]> response = post(body);

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(text(response)).isEqualTo("{\"error\":\"body exceeds the limit of 1024 bytes; no sample of this "
                + "request was stored\"}");
        assertThat(reader.getJson("/api/v1/checks").encode()).doesNotContain("tool/big");
    }

    private static String head(long contentLength) {
        return "POST " + SamplesRoute.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer tool-token\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + contentLength + "\r\n\r\n";
    }

    private static HttpResponse<byte[]> post(String body) {
        return reader.send(HttpRequest.newBuilder(collector.baseUri().resolve(SamplesRoute.PATH))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer tool-token").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private static double rejected(String reason) {
        return reader.metric("vigil_ingest_rejected_total{reason=\"" + reason + "\"}");
    }
}
