package dev.vigil.benchmarks;

import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What failure evidence costs a failing sample on its way through both codecs: the evidence of a
 * typical HTTP 503 (status line, 12 headers, a 1 KiB body, the error text) bounded, encoded with its
 * sample and decoded again, against the same failing sample without evidence. Successful samples never
 * carry evidence, so their cost is unchanged; this is the price of the runs that do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class EvidenceBenchmark {
    private Sample failing;
    private List<Evidence.Header> headers;
    private String body;
    private final ByteBuffer buffer = ByteBuffer.allocate(SampleCodec.MAX_ENCODED_BYTES);

    @Setup
    public void create() {
        failing = new Sample("shop-checkout", 1_790_000_000_000L, 120_000, Outcome.STATUS_MISMATCH, 400_000,
                310_000, 2_100_000, 48_000_000, 51_000_000, 503, "status 503 not in [200-299]");
        headers = new ArrayList<>();
        String[][] seen = {{"Server", "nginx/1.22.1"}, {"Date", "Fri, 27 Nov 2026 12:00:00 GMT"},
            {"Content-Type", "text/html; charset=utf-8"}, {"Content-Length", "1532"}, {"Connection", "keep-alive"},
            {"Retry-After", "30"}, {"Cache-Control", "no-store"}, {"Set-Cookie", "[redacted]"},
            {"X-Request-Id", "6f1c2d9e-0b7a-4c55-9a43-2f7d8e1b0c11"}, {"Strict-Transport-Security", "max-age=63072000"},
            {"Vary", "Accept-Encoding"}, {"X-Upstream", "checkout-7"}};
        for (String[] header : seen) {
            headers.add(Evidence.header(header[0], header[1]));
        }
        body = "<html><head><title>503 Service Temporarily Unavailable</title></head><body>"
                + "<h1>Service Temporarily Unavailable</h1>".repeat(24) + "</body></html>";
    }

    @Benchmark
    public Sample failingSampleWithEvidence() {
        Evidence evidence = Evidence.bounded("127.0.0.1:8443", "HTTP/1.1 503 Service Unavailable", headers,
                body.substring(0, 1024), true, List.of(), List.of(),
                "status 503 not in [200-299]");
        return roundTrip(failing.withEvidence(evidence));
    }

    @Benchmark
    public Sample baselineFailingSampleWithout() {
        return roundTrip(failing);
    }

    private Sample roundTrip(Sample sample) {
        buffer.clear();
        SampleCodec.write(sample, buffer);
        buffer.flip();
        return SampleCodec.read(buffer);
    }
}
