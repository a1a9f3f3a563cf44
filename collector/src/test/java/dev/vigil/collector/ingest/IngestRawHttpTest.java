package dev.vigil.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.SampleRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests no HTTP client would send, written to a raw socket: bodies shorter or longer than their
 * Content-Length, chunked garbage, contradicting framing headers, oversized declarations. Each gets
 * refused with 400, 413, 415 or 431 (or the connection closed), never a 500; none leaves anything in the
 * journal; and afterwards the collector still takes a valid batch and reports healthy.
 */
class IngestRawHttpTest {
    /** 431: Vert.x's own answer to headers over its 8 KiB limit, before any route runs. */
    private static final Set<Integer> REFUSALS = Set.of(400, 413, 415, 431);
    private static final Pattern STATUS = Pattern.compile("HTTP/1\\.[01] (\\d{3}) ");
    /** Long enough for any loopback answer; after it the server has decided to wait for bytes never sent. */
    private static final int READ_TIMEOUT_MILLIS = 3_000;

    @TempDir
    static Path dir;
    static Collector collector;
    static TestAgent agent;
    static byte[] valid;

    /** One hostile request; the client half-closes after writing it. */
    record Hostile(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void startCollector() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: agent-a
                    token: token-a
                """, name -> null, dir);
        collector = Collector.start(config, InstantSource.system());
        agent = new TestAgent(collector.baseUri(), "token-a");
        valid = TestAgent.batch(TestAgent.records("raw", "SSS", 0, System.currentTimeMillis() - 10_000, 1_000));
    }

    @AfterAll
    static void stopCollector() {
        collector.close();
    }

    static List<Hostile> hostileRequests() {
        List<Hostile> requests = new ArrayList<>();
        byte[] prefix = Arrays.copyOf(valid, valid.length / 2);
        requests.add(new Hostile("body shorter than its Content-Length, then the client closes",
                request("Content-Length: " + valid.length, prefix)));
        requests.add(new Hostile("body longer than its Content-Length: the rest read as a next request",
                request("Content-Length: " + prefix.length, valid)));
        requests.add(new Hostile("Content-Length of zero", request("Content-Length: 0", new byte[0])));
        requests.add(new Hostile("negative Content-Length", request("Content-Length: -5", valid)));
        requests.add(new Hostile("Content-Length that is not a number", request("Content-Length: 12a", valid)));
        requests.add(new Hostile("Content-Length over 2^63", request("Content-Length: 99999999999999999999", valid)));
        requests.add(new Hostile("two different Content-Lengths",
                request("Content-Length: " + valid.length + "\r\nContent-Length: 3", valid)));
        requests.add(new Hostile("Content-Length over the 16 MiB limit, no body",
                request("Content-Length: " + (IngestRoute.BODY_LIMIT_BYTES + 1), new byte[0])));
        requests.add(new Hostile("Content-Length over the limit with Expect: 100-continue",
                request("Content-Length: " + (IngestRoute.BODY_LIMIT_BYTES + 1) + "\r\nExpect: 100-continue",
                        new byte[0])));
        requests.add(new Hostile("chunked, chunk size not hexadecimal",
                request("Transfer-Encoding: chunked", ascii("zz\r\nabc\r\n0\r\n\r\n"))));
        requests.add(new Hostile("chunked, chunk size of 2^64-1",
                request("Transfer-Encoding: chunked", ascii("FFFFFFFFFFFFFFFF\r\nabc\r\n"))));
        requests.add(new Hostile("chunked, chunks over the limit in total",
                request("Transfer-Encoding: chunked", ascii(Long.toHexString(IngestRoute.BODY_LIMIT_BYTES + 1)
                        + "\r\nabc"))));
        requests.add(new Hostile("chunked, chunk shorter than declared, then the client closes",
                request("Transfer-Encoding: chunked", concat(ascii(Integer.toHexString(valid.length) + "\r\n"),
                        prefix))));
        requests.add(new Hostile("chunked, no CRLF after a chunk",
                request("Transfer-Encoding: chunked", concat(ascii("5\r\n"), valid))));
        requests.add(new Hostile("chunked, a valid batch cut at half its length",
                request("Transfer-Encoding: chunked", concat(ascii(Integer.toHexString(prefix.length) + "\r\n"),
                        prefix, ascii("\r\n0\r\n\r\n")))));
        requests.add(new Hostile("chunked and Content-Length together",
                request("Content-Length: 4\r\nTransfer-Encoding: chunked", concat(ascii("4\r\n"),
                        Arrays.copyOf(valid, 4), ascii("\r\n0\r\n\r\n")))));
        requests.add(new Hostile("unknown Transfer-Encoding", request("Transfer-Encoding: gzip, chunked, zz", valid)));
        requests.add(new Hostile("valid batch without Content-Type",
                ascii("POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\nContent-Length: "
                        + prefix.length + "\r\n\r\n", prefix)));
        requests.add(new Hostile("header line without end, then the client closes",
                ascii("POST /api/v1/ingest HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer token-a\r\nContent-Ty")));
        requests.add(new Hostile("garbage instead of a request line", ascii("\u0001\u0002\u00ff GARBAGE\r\n\r\n")));
        requests.add(new Hostile("HTTP/1.0 without Content-Length, the body ended by closing",
                ascii("POST /api/v1/ingest HTTP/1.0\r\nHost: x\r\nAuthorization: Bearer token-a\r\nContent-Type: "
                        + BatchCodec.MEDIA_TYPE + "\r\n\r\n", prefix)));
        requests.add(new Hostile("header of 100 KiB", request("X-Padding: " + "a".repeat(100 * 1024), valid)));
        return requests;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void aHostileRequestIsRefusedOrClosedNeverFailsAndStoresNothing(Hostile hostile) throws IOException {
        long entries = journalEntries();

        List<Integer> statuses = exchange(hostile.bytes());

        assertThat(statuses).as("answers to: %s", hostile.name()).allSatisfy(status ->
                assertThat(status).isIn(REFUSALS));
        assertThat(journalEntries()).isEqualTo(entries);
    }

    @Test
    void aValidBatchInChunksIsAcceptedLikeAnyOther() throws IOException {
        long next = agent.ship(List.of()).ackedIndex() + 1;
        List<SampleRecord> records = TestAgent.records("chunked", "SFS", next, System.currentTimeMillis() - 5_000,
                1_000);
        byte[] body = TestAgent.batch(records);
        int half = body.length / 2;
        byte[] chunked = concat(ascii(Integer.toHexString(half) + "\r\n"), Arrays.copyOf(body, half),
                ascii("\r\n" + Integer.toHexString(body.length - half) + "\r\n"),
                Arrays.copyOfRange(body, half, body.length), ascii("\r\n0\r\n\r\n"));
        long entries = journalEntries();

        Response response = exchangeOne(request("Transfer-Encoding: chunked", chunked));

        assertThat(response.status()).isEqualTo(200);
        Ack ack = AckCodec.decode(response.body());
        assertThat(ack.accepted()).isEqualTo(3);
        assertThat(journalEntries()).isEqualTo(entries + 3);
    }

    @Test
    void afterEveryHostileRequestTheCollectorStillTakesAValidBatchAndIsHealthy() throws IOException {
        for (Hostile hostile : hostileRequests()) {
            exchange(hostile.bytes());
        }
        long next = agent.ship(List.of()).ackedIndex() + 1;

        Ack ack = agent.ship(TestAgent.records("after-raw", "SS", next, System.currentTimeMillis() - 2_000, 1_000));

        assertThat(ack.accepted()).isEqualTo(2);
        assertThat(agent.get("/healthz").statusCode()).isEqualTo(200);
    }

    private record Response(int status, byte[] body) {
    }

    /** Writes {@code bytes}, half-closes, and returns the status of every answer until the server closes. */
    private static List<Integer> exchange(byte[] bytes) throws IOException {
        byte[] answer = talk(bytes);
        List<Integer> statuses = new ArrayList<>();
        Matcher matcher = STATUS.matcher(new String(answer, StandardCharsets.ISO_8859_1));
        while (matcher.find()) {
            statuses.add(Integer.parseInt(matcher.group(1)));
        }
        return statuses;
    }

    private static Response exchangeOne(byte[] bytes) throws IOException {
        byte[] answer = talk(bytes);
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        Matcher matcher = STATUS.matcher(text);
        assertThat(matcher.lookingAt()).as(text).isTrue();
        int headersEnd = text.indexOf("\r\n\r\n") + 4;
        return new Response(Integer.parseInt(matcher.group(1)), Arrays.copyOfRange(answer, headersEnd, answer.length));
    }

    private static byte[] talk(byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", collector.port())) {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(bytes);
                out.flush();
                socket.shutdownOutput();
            } catch (IOException e) {
                // The server may refuse and close before it has read everything (413 on the header alone).
            }
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, read);
                }
            } catch (SocketTimeoutException e) {
                // Keep-alive after a complete answer: what was read is the answer.
            } catch (IOException e) {
                // Reset by the server after its answer.
            }
            return answer.toByteArray();
        }
    }

    private static byte[] request(String framing, byte[] body) {
        return ascii("POST /api/v1/ingest HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: Bearer token-a\r\nContent-Type: " + BatchCodec.MEDIA_TYPE + "\r\n" + framing
                + "\r\n\r\n", body);
    }

    private static byte[] ascii(String text, byte[]... more) {
        return concat(text.getBytes(StandardCharsets.ISO_8859_1), concat(more));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.write(part, 0, part.length);
        }
        return out.toByteArray();
    }

    private static long journalEntries() {
        return (long) agent.metric("vigil_collector_journal_entries_total");
    }
}
