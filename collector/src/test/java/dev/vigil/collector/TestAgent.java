package dev.vigil.collector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Talks to a collector the way an agent and an operator do, over real HTTP on loopback: posts
 * {@link BatchCodec} batches with a bearer token and reads the JSON API.
 */
public final class TestAgent {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final String token;

    public TestAgent(URI base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The journal epoch {@link #ship(List)} sends. */
    public static final long EPOCH = 1;
    /** The instance id this test agent sends. */
    public static final UUID INSTANCE = UUID.fromString("00000000-0000-4000-8000-000000000001");

    /** {@code records} as a batch of epoch {@link #EPOCH} without gaps. */
    public static byte[] batch(List<SampleRecord> records) {
        return BatchCodec.encode(EPOCH, INSTANCE, List.of(), records);
    }

    /** Posts {@code records} in epoch {@link #EPOCH} and returns the ack, asserting a 200. */
    public Ack ship(List<SampleRecord> records) {
        return ship(EPOCH, List.of(), records);
    }

    /** Posts a batch and returns the ack, asserting a 200. */
    public Ack ship(long epoch, List<Gap> gaps, List<SampleRecord> records) {
        HttpResponse<byte[]> response = post(BatchCodec.encode(epoch, INSTANCE, gaps, records), BatchCodec.MEDIA_TYPE,
                token);
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains(AckCodec.MEDIA_TYPE);
        return AckCodec.decode(response.body());
    }

    /** Posts {@code body} as it is. A null token sends no Authorization header. */
    public HttpResponse<byte[]> post(byte[] body, String contentType, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/api/v1/ingest"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return send(request.build());
    }

    /** GETs {@code path} and returns the response. */
    public HttpResponse<byte[]> get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30)).GET().build());
    }

    /** GETs {@code path}, asserting a 200, and parses the JSON body. */
    public JsonObject getJson(String path) {
        HttpResponse<byte[]> response = get(path);
        assertThat(response.statusCode()).isEqualTo(200);
        return new JsonObject(new String(response.body(), StandardCharsets.UTF_8));
    }

    /** Sends {@code request} with any method. */
    public HttpResponse<byte[]> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The metrics text. */
    public String metrics() {
        HttpResponse<byte[]> response = get("/metrics");
        assertThat(response.statusCode()).isEqualTo(200);
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** The value of the series written exactly as {@code series} (name and labels), or NaN when absent. */
    public double metric(String series) {
        for (String line : metrics().split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim().split(" ")[0]);
            }
        }
        return Double.NaN;
    }

    /**
     * Records for {@code check} from {@code pattern}: S a success, F a failure; the i-th has journal
     * index {@code firstIndex + i} and is scheduled {@code i} × {@code stepMillis} after {@code startMillis}.
     */
    public static List<SampleRecord> records(String check, String pattern, long firstIndex, long startMillis,
            long stepMillis) {
        List<SampleRecord> records = new ArrayList<>();
        for (int i = 0; i < pattern.length(); i++) {
            long at = startMillis + i * stepMillis;
            Sample sample = pattern.charAt(i) == 'S'
                    ? new Sample(check, at, 1_000, Outcome.OK, 200_000, 300_000, -1, 1_500_000, 2_000_000, 200, "")
                    : new Sample(check, at, 1_000, Outcome.STATUS_MISMATCH, 200_000, 300_000, -1, 1_500_000,
                            2_000_000, 503, "expected 2xx, got 503");
            records.add(new SampleRecord(firstIndex + i, sample));
        }
        return records;
    }
}
