package dev.vigil.benchmarks;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.IncidentBook;
import dev.vigil.collector.incident.IncidentLog;
import dev.vigil.collector.incident.IncidentPolicy;
import dev.vigil.collector.incident.delivery.Backoff;
import dev.vigil.collector.incident.delivery.Outbox;
import dev.vigil.collector.ingest.IngestCounters;
import dev.vigil.collector.ingest.Ingestor;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.Batch;
import dev.vigil.protocol.BatchCodec;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The collector's ingest on one core, without HTTP: the body bytes of a batch of {@value #SAMPLES}
 * samples from {@value #SAMPLES} checks (one round of every check, about one in 25 failing, so state
 * machines change state and incidents open and resolve) decoded, deduplicated, appended to a real
 * {@link CollectorJournal} in a temporary directory, and applied to a real {@link CheckBoard} with the
 * {@link SlaEngine} and the {@link IncidentBook} (its outbox has no webhooks). Baselines in the same
 * run: {@link BatchCodec#decode} alone, and the journal appends alone. Scores are samples per second.
 *
 * <p>Each invocation gets the next round: journal indexes continue and scheduled times move 30 s on, so
 * nothing is a duplicate or out of order; the collector's clock stands 2 s after the round.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class CollectorIngestBenchmark {
    static final int SAMPLES = 1_000;
    private static final String AGENT = "bench-agent";
    private static final UUID INSTANCE = UUID.fromString("00000000-0000-4000-8000-00000000be7c");
    private static final long EPOCH = 1;
    private static final long INTERVAL_MILLIS = 30_000;
    private static final long START_MILLIS = 1_780_000_000_000L;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private Path directory;
    private Vertx vertx;
    private Outbox outbox;
    private CollectorJournal journal;
    private Ingestor ingestor;
    private long round;
    private long nowMillis = START_MILLIS;
    private byte[] body;
    private Batch decoded;
    private long cpuNanos;
    private long roundsAtStart;

    @Setup(Level.Trial)
    public void open() throws IOException {
        directory = Files.createTempDirectory("vigil-bench-ingest");
        InstantSource clock = () -> Instant.ofEpochMilli(nowMillis);
        PrometheusRegistry registry = new PrometheusRegistry();
        vertx = Vertx.vertx();
        outbox = Outbox.open(vertx, List.of(), directory.resolve("outbox"), -1, Backoff.DEFAULT, registry);
        journal = CollectorJournal.open(directory.resolve("journal"));
        SlaEngine engine = new SlaEngine(clock, Thresholds.DEFAULT, Catalogue.EMPTY, key -> Optional.empty());
        CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(engine, new IncidentBook(engine, outbox,
                IncidentPolicy.DEFAULT, clock, journal::lastIndex, IncidentLog.open(directory.resolve("incidents")))));
        ingestor = new Ingestor(journal, board, clock, new IngestCounters(registry, List.of(AGENT)), directory
                .resolve("dedup-marks"));
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        journal.close();
        outbox.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
        BenchFiles.deleteRecursively(directory);
    }

    /** The next round as an agent would send it; not measured (about 1 ms against 4 ms measured). */
    @Setup(Level.Invocation)
    public void nextRound() {
        long scheduled = START_MILLIS + round * INTERVAL_MILLIS;
        List<SampleRecord> records = new ArrayList<>(SAMPLES);
        for (int check = 0; check < SAMPLES; check++) {
            // A check fails in streaks (rounds 25k..25k+2 of its phase), so incidents open and resolve.
            boolean failed = (round + check) % 25 < 3 && check % 4 == 0;
            long at = scheduled + check * 7L;
            long jitter = (round * 31 + check * 17) % 1_000;
            Sample sample = failed
                    ? new Sample("check-" + check, at, 20_000 + jitter, Outcome.TIMEOUT, 150_000 + jitter,
                            400_000 + jitter, Sample.NOT_MEASURED, Sample.NOT_MEASURED, 2_000_000_000L, 0,
                            "no response within 2s")
                    : new Sample("check-" + check, at, 15_000 + jitter, Outcome.OK, 150_000 + jitter, 400_000 + jitter,
                            900_000 + jitter * 3, 2_000_000 + jitter * 50, 2_500_000 + jitter * 70, 200, "");
            records.add(new SampleRecord(round * SAMPLES + check, sample));
        }
        body = BatchCodec.encode(EPOCH, INSTANCE, List.of(), records);
        decoded = BatchCodec.decode(body);
        nowMillis = scheduled + SAMPLES * 7L + 2_000;
        round++;
    }

    /** Decode the body, deduplicate, journal, apply to checks, SLA figures and incidents; build the ack. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public Ack ingest() {
        long start = THREADS.getCurrentThreadCpuTime();
        Ack ack = ingestor.ingest(AGENT, BatchCodec.decode(body));
        cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
        return ack;
    }

    /** Baseline: decoding the body alone. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public Batch baselineDecodeOnly() {
        long start = THREADS.getCurrentThreadCpuTime();
        Batch batch = BatchCodec.decode(body);
        cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
        return batch;
    }

    /** Baseline: appending the decoded samples to the collector's journal alone. */
    @Benchmark
    @OperationsPerInvocation(SAMPLES)
    public long baselineJournalAppendOnly() {
        long start = THREADS.getCurrentThreadCpuTime();
        long last = -1;
        for (SampleRecord record : decoded.records()) {
            last = journal.append(AGENT, EPOCH, record.journalIndex(), nowMillis, record.sample()).index();
        }
        cpuNanos += THREADS.getCurrentThreadCpuTime() - start;
        return last;
    }

    @Setup(Level.Iteration)
    public void startCpuClock() {
        cpuNanos = 0;
        roundsAtStart = round;
    }

    /**
     * Prints samples per CPU-second of the benchmark thread: on a machine shared with other work the
     * throughput JMH reports measures the share of a core the thread got, this the work per core.
     */
    @TearDown(Level.Iteration)
    public void reportCpu() {
        long samples = (round - roundsAtStart) * SAMPLES;
        System.out.printf(Locale.ROOT, "%n  %,.0f samples per CPU-second (%,d samples in %.2f s of thread CPU time)%n",
                samples / (cpuNanos / 1e9), samples, cpuNanos / 1e9);
    }
}
