package dev.vigil.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.AckCodec;
import dev.vigil.protocol.Batch;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.InvalidRecord;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.ProtocolException;
import dev.vigil.protocol.Rejection;
import dev.vigil.protocol.RejectionReason;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real collector on loopback receives valid, overlapping, replayed and mutated batches over real HTTP.
 * A model of what the collector holds, built from the bytes sent and the acks received, predicts every
 * answer: the status exactly, and for a 200 the accepted, duplicate and rejected records and the acked
 * marks. At the end the collector's journal, read back from disk, holds every accepted sample exactly
 * once and nothing else.
 *
 * <p>Requests: {@code -Dvigil.fuzz.requests} (default: the CI run), optionally cut off after
 * {@code -Dvigil.fuzz.seconds}; {@code -Dvigil.fuzz.seed} repeats a run (the collector's state depends
 * on every earlier request, so a failure is reproduced by its seed, not by one request).
 */
class IngestFuzzTest {
    private static final long CI_REQUESTS = 2_000;
    /**
     * Requests between two reads of the journal entry counter: a scrape of /metrics costs as much as dozens
     * of requests, and the model's running total catches a wrong append at the next read all the same.
     */
    private static final int CHECK_ENTRIES_EVERY = 50;
    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");
    private static final Set<Integer> ANSWERS = Set.of(200, 400, 413, 415, 422);
    private static final String AGENT = "agent-a";
    private static final UUID INSTANCE = UUID.fromString("00000000-0000-4000-8000-00000000f022");
    private static final List<String> CHECKS = checks();
    private static final String[] CONTENT_TYPES = {"application/octet-stream", "text/plain", "application/json",
        BatchCodec.MEDIA_TYPE + "; version=2", "Application/Vnd.Vigil.Batch"};

    @TempDir
    Path dir;
    private Collector collector;
    private TestAgent agent;

    /** What the collector holds of one epoch of the agent's journal, as the acks so far say. */
    private static final class EpochModel {
        long index = -1;
        long gap = -1;
        final Map<Long, Sample> accepted = new HashMap<>();
    }

    @BeforeEach
    void startCollector() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: agent-a
                    token: token-a
                """, name -> null, dir);
        collector = Collector.start(config, InstantSource.system());
        agent = new TestAgent(collector.baseUri(), "token-a");
    }

    @AfterEach
    void stopCollector() {
        if (collector != null) {
            collector.close();
        }
    }

    @Test
    void mutatedBatchesGetThePredictedAnswerAndOnlyAcceptedSamplesReachTheJournalOnce() {
        long requests = Long.getLong("vigil.fuzz.requests", CI_REQUESTS);
        long deadline = System.nanoTime() + Duration.ofSeconds(Long.getLong("vigil.fuzz.seconds", 3_600)).toNanos();
        long seed = Long.getLong("vigil.fuzz.seed", new SplittableRandom().nextLong());
        Map<Long, EpochModel> epochs = new HashMap<>();
        Map<Integer, Integer> answers = new TreeMap<>();
        long entries = journalEntries();
        long start = System.nanoTime();
        long sent = 0;
        for (; sent < requests && System.nanoTime() < deadline; sent++) {
            SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + sent);
            long now = System.currentTimeMillis();
            byte[] body = batch(random, epochs, now);
            if (random.nextInt(10) < 6) {
                BodyMutator mutator = new BodyMutator(random);
                byte[] other = batch(random, epochs, now);
                for (int i = 1 + random.nextInt(2); i > 0; i--) {
                    body = mutator.mutate(body, other);
                }
            }
            String contentType = random.nextInt(40) == 0 ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)]
                    : BatchCodec.MEDIA_TYPE;
            String context = "seed " + seed + ", request " + sent;
            int expected = expectedStatus(body, contentType);

            Response response = post(body, contentType, context + " (" + contentType + ", expected " + expected + ")");

            String text = new String(response.body(), StandardCharsets.UTF_8);
            assertThat(response.statusCode()).as("%s: %s", context, text).isIn(ANSWERS).isEqualTo(expected);
            answers.merge(response.statusCode(), 1, Integer::sum);
            if (Boolean.getBoolean("vigil.fuzz.trace")) {
                System.out.println(context + ": " + contentType + " " + body.length + " bytes -> " + response.statusCode()
                        + " " + text);
            }
            if (expected == 200) {
                entries += checkAck(BatchCodec.decode(body), AckCodec.decode(response.body()), epochs, context);
            }
            if (sent % CHECK_ENTRIES_EVERY == 0) {
                assertThat(journalEntries()).as("journal entries after %s", context).isEqualTo(entries);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "fuzz ingest endpoint: %,d requests in %.1f s (%,.0f/s), answers %s, "
                + "%,d samples accepted, seed %d%n", sent, seconds, sent / seconds, answers,
                epochs.values().stream().mapToLong(m -> m.accepted.size()).sum(), seed);
        assertThat(journalEntries()).isEqualTo(entries);

        stillServes(epochs);
        assertThat(agent.metric("vigil_ingest_samples_total{agent=\"" + AGENT + "\"}"))
                .isEqualTo((double) epochs.values().stream().mapToLong(m -> m.accepted.size()).sum());
        collector.close();
        collector = null;
        journalHoldsExactlyTheAcceptedSamples(epochs);
    }

    /**
     * Checks a 200's ack against the model and moves the model on.
     *
     * @return the journal entries the batch added: its accepted samples and new gaps
     */
    private static long checkAck(Batch batch, Ack ack, Map<Long, EpochModel> epochs, String context) {
        EpochModel model = epochs.computeIfAbsent(batch.epoch(), e -> new EpochModel());
        Map<Long, Rejection> rejections = ack.rejections().stream()
                .collect(Collectors.toMap(Rejection::journalIndex, r -> r));
        assertThat(rejections).as(context).hasSameSizeAs(ack.rejections());
        Set<Long> invalid = batch.invalid().stream().map(InvalidRecord::journalIndex).collect(Collectors.toSet());
        Set<Long> records = batch.records().stream().map(SampleRecord::journalIndex).collect(Collectors.toSet());
        for (Rejection rejection : ack.rejections()) {
            assertThat(rejection.journalIndex()).as("%s: %s", context, rejection).isGreaterThan(model.index);
            assertThat(invalid.contains(rejection.journalIndex()) || records.contains(rejection.journalIndex()))
                    .as("%s: rejection of a record not in the batch: %s", context, rejection).isTrue();
            assertThat(rejection.reason() == RejectionReason.INVALID)
                    .as("%s: %s", context, rejection).isEqualTo(invalid.contains(rejection.journalIndex()));
        }
        for (InvalidRecord record : batch.invalid()) {
            if (record.journalIndex() > model.index) {
                assertThat(rejections).as(context).containsKey(record.journalIndex());
            }
        }
        int accepted = 0;
        int duplicates = 0;
        long highest = model.index;
        for (SampleRecord record : batch.records()) {
            highest = Math.max(highest, record.journalIndex());
            if (record.journalIndex() <= model.index) {
                duplicates++;
            } else if (!rejections.containsKey(record.journalIndex())) {
                accepted++;
                Sample before = model.accepted.put(record.journalIndex(), record.sample());
                assertThat(before).as("%s: journal index %d accepted twice", context, record.journalIndex()).isNull();
            }
        }
        for (InvalidRecord record : batch.invalid()) {
            highest = Math.max(highest, record.journalIndex());
        }
        long newGaps = batch.gaps().stream().filter(g -> g.sequence() > model.gap).count();
        long highestGap = batch.gaps().stream().mapToLong(Gap::sequence).reduce(model.gap, Math::max);
        assertThat(ack).as(context).isEqualTo(new Ack(batch.epoch(), highest, highestGap, accepted, duplicates,
                ack.rejections()));
        model.index = highest;
        model.gap = highestGap;
        return accepted + newGaps;
    }

    /** After everything, a valid batch of new records is still accepted, and the collector is healthy. */
    private void stillServes(Map<Long, EpochModel> epochs) {
        EpochModel model = epochs.computeIfAbsent(1L, e -> new EpochModel());
        long now = System.currentTimeMillis();
        List<SampleRecord> records = TestAgent.records("after-fuzz", "SSFS", model.index + 1, now - 4_000, 1_000);
        long entries = journalEntries();

        Ack ack = agent.ship(1, List.of(), records);

        assertThat(ack.accepted()).isEqualTo(records.size());
        assertThat(ack.ackedIndex()).isEqualTo(model.index + records.size());
        records.forEach(r -> model.accepted.put(r.journalIndex(), r.sample()));
        model.index = ack.ackedIndex();
        assertThat(journalEntries()).isEqualTo(entries + records.size());
        assertThat(agent.get("/healthz").statusCode()).isEqualTo(200);
    }

    private void journalHoldsExactlyTheAcceptedSamples(Map<Long, EpochModel> epochs) {
        Map<Long, Map<Long, Sample>> journaled = new HashMap<>();
        List<String> doubled = new ArrayList<>();
        try (CollectorJournal journal = CollectorJournal.open(dir.resolve("data").resolve("journal"))) {
            while (journal.replay(10_000, CollectorJournal.Replay.of(entry -> {
                Sample before = journaled.computeIfAbsent(entry.epoch(), e -> new HashMap<>())
                        .put(entry.agentIndex(), entry.sample());
                if (before != null) {
                    doubled.add(entry.epoch() + "/" + entry.agentIndex());
                }
            }, gap -> { })) > 0) {
                assertThat(doubled).as("journal indexes appended twice").isEmpty();
            }
        }
        Map<Long, Map<Long, Sample>> expected = new HashMap<>();
        epochs.forEach((epoch, model) -> {
            if (!model.accepted.isEmpty()) {
                expected.put(epoch, model.accepted);
            }
        });
        assertThat(doubled).isEmpty();
        assertThat(journaled).isEqualTo(expected);
    }

    private static int expectedStatus(byte[] body, String contentType) {
        String media = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals(BatchCodec.MEDIA_TYPE)) {
            return 415;
        }
        int version = BatchCodec.declaredVersion(body);
        if (version >= 0 && !BatchCodec.reads(version)) {
            return 422;
        }
        Batch batch;
        try {
            batch = BatchCodec.decode(body);
        } catch (ProtocolException e) {
            return 400;
        }
        return batch.invalid().stream().anyMatch(InvalidRecord::retryable) ? 422 : 200;
    }

    /** A valid batch near what the model holds: new records, replays, overlaps, gaps, some clock skew. */
    private static byte[] batch(SplittableRandom random, Map<Long, EpochModel> epochs, long now) {
        long epoch = 1 + random.nextInt(3);
        EpochModel model = epochs.getOrDefault(epoch, new EpochModel());
        long index = random.nextInt(4) == 0 ? Math.max(0, model.index - random.nextInt(30))
                : model.index + 1 + (random.nextInt(5) == 0 ? random.nextInt(1_000) : 0);
        if (index > Long.MAX_VALUE / 2) {
            // A mutation moved this epoch's mark near the end of the index space: replay from low indexes.
            index = random.nextInt(1_000);
        }
        List<SampleRecord> records = new ArrayList<>();
        for (int i = random.nextInt(40); i > 0; i--) {
            records.add(new SampleRecord(index, sample(random, now)));
            index += random.nextInt(8) == 0 ? 2 + random.nextInt(5) : 1;
        }
        List<Gap> gaps = new ArrayList<>();
        if (random.nextInt(5) == 0) {
            long sequence = model.gap > Long.MAX_VALUE / 2 ? random.nextInt(10)
                    : Math.max(0, model.gap - 1 + random.nextInt(3));
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                boolean journaled = random.nextBoolean();
                long first = journaled ? random.nextInt(1_000) : -1;
                gaps.add(new Gap(sequence, GapReason.values()[random.nextInt(GapReason.values().length)],
                        1 + random.nextInt(100), first, journaled ? first + random.nextInt(100) : -1, now - 60_000,
                        now - 1_000));
                sequence += 1 + random.nextInt(2);
            }
        }
        return BatchCodec.encode(epoch, INSTANCE, gaps, records);
    }

    private static Sample sample(SplittableRandom random, long now) {
        long scheduled = switch (random.nextInt(40)) {
            case 0 -> now + Duration.ofHours(1).toMillis();
            case 1 -> now - Duration.ofDays(40).toMillis();
            default -> now - random.nextLong(3_600_000);
        };
        Outcome outcome = random.nextInt(5) == 0 ? Outcome.values()[random.nextInt(Outcome.values().length)]
                : Outcome.OK;
        return new Sample(CHECKS.get(random.nextInt(CHECKS.size())), scheduled, random.nextLong(1_000_000), outcome,
                random.nextBoolean() ? Sample.NOT_MEASURED : random.nextLong(10_000_000), random.nextLong(10_000_000),
                Sample.NOT_MEASURED, random.nextLong(100_000_000), random.nextLong(1_000_000_000), 200,
                outcome.isSuccess() ? "" : "failed: " + outcome.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Posts on a fresh loopback connection, the whole request in one write as an agent sends it, and reads
     * the answer until the collector closes the connection ({@code Connection: close}).
     */
    private Response post(byte[] body, String contentType, String context) {
        ByteArrayOutputStream request = new ByteArrayOutputStream(body.length + 256);
        request.writeBytes(("POST " + IngestRoute.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Authorization: Bearer token-a\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        request.writeBytes(body);
        try (Socket socket = new Socket("127.0.0.1", collector.port())) {
            socket.setTcpNoDelay(true);
            // Ten seconds is a hang for a loopback request of a few kilobytes.
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.toByteArray());
            return readAnswer(socket.getInputStream(), context);
        } catch (SocketTimeoutException e) {
            throw new AssertionError(context + ": no answer within 10 s to a request of " + body.length + " bytes; "
                    + "healthz now " + agent.get("/healthz").statusCode(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(context, e);
        }
    }

    /** Reads one answer by its Content-Length, not waiting for the close. */
    private static Response readAnswer(InputStream in, String context) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int next = in.read();
            assertThat(next).as("%s: answer ends inside its head: %s", context, head).isNotNegative();
            head.write(next);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        assertThat(text).as("%s: answer", context).startsWith("HTTP/1.1 ");
        Matcher length = CONTENT_LENGTH.matcher(text);
        assertThat(length.find()).as("%s: answer without Content-Length: %s", context, text).isTrue();
        return new Response(Integer.parseInt(text.substring(9, 12)), in.readNBytes(Integer.parseInt(length.group(1))));
    }

    /** An HTTP answer. */
    private record Response(int statusCode, byte[] body) {
    }

    private long journalEntries() {
        return (long) agent.metric("vigil_collector_journal_entries_total");
    }

    private static List<String> checks() {
        List<String> checks = new ArrayList<>(List.of("web", "db", "api-ünïcödé", "中文-check", "😀-emoji", "a/b c",
                "x".repeat(Sample.MAX_CHECK_ID_BYTES)));
        for (int i = 0; i < 13; i++) {
            checks.add("svc-" + i);
        }
        return checks;
    }
}
