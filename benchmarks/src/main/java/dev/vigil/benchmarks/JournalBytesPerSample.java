package dev.vigil.benchmarks;

import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * Bytes on disk per sample in the agent's {@link SampleJournal} and the {@link CollectorJournal}:
 * appends {@code N} {@link BenchSamples} (default 1,000,000) to a fresh journal, closes it, and divides
 * how far its written data reaches by the samples, against the same journal holding 1,000 samples
 * (which takes out the queue's fixed overhead: header, index root, metadata). The written data counts
 * every excerpt header and the index arrays between the excerpts; the queue file itself is longer,
 * preallocated in blocks, and sparse (its allocated bytes are printed too). Goal: 64 bytes or fewer per
 * sample in the agent's journal.
 *
 * <pre>{@code java -cp benchmarks/target/vigil-benchmarks.jar <Chronicle JVM flags> \
 *     dev.vigil.benchmarks.JournalBytesPerSample [N]}</pre>
 */
public final class JournalBytesPerSample {
    private static final int SMALL = 1_000;

    private JournalBytesPerSample() {
    }

    /** Runs the measurement and prints one line per journal. */
    public static void main(String[] args) throws IOException {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Sample[] pool = BenchSamples.create();
        double encoded = 0;
        for (Sample sample : pool) {
            encoded += SampleCodec.encodedLength(sample);
        }
        System.out.printf(Locale.ROOT, "sample encoding (SampleCodec): %.1f B per sample%n", encoded / pool.length);
        report("agent SampleJournal", samples, RollCycles.FAST_HOURLY, (directory, count) -> {
            try (SampleJournal journal = SampleJournal.open(directory)) {
                for (int i = 0; i < count; i++) {
                    journal.append(shifted(pool, i));
                }
            }
        });
        report("collector CollectorJournal", samples, CollectorJournal.ROLL_CYCLE, (directory, count) -> {
            try (CollectorJournal journal = CollectorJournal.open(directory)) {
                for (int i = 0; i < count; i++) {
                    Sample sample = shifted(pool, i);
                    journal.append("agent-" + (i % 10), 1, i, sample.scheduledEpochMillis() + 1_500, sample);
                }
            }
        });
    }

    /** The pool's sample at {@code i}, scheduled one pool's time span later per pass, as a live agent writes. */
    private static Sample shifted(Sample[] pool, int i) {
        Sample s = pool[i % pool.length];
        long offset = (long) (i / pool.length) * pool.length * 10L;
        // Kept within one UTC day, so one cycle file holds everything: the figure is per file, not per roll.
        return new Sample(s.checkId(), s.scheduledEpochMillis() + offset % 60_000_000L, s.startLagNanos(),
                s.outcome(), s.dnsNanos(), s.connectNanos(), s.tlsNanos(), s.firstByteNanos(), s.totalNanos(),
                s.statusCode(), s.detail());
    }

    private static void report(String name, int samples, RollCycle rollCycle, BiConsumer<Path, Integer> fill)
            throws IOException {
        long[] small = measure(SMALL, rollCycle, fill);
        long[] large = measure(samples, rollCycle, fill);
        System.out.printf(Locale.ROOT, "%s: %.1f B per sample written (end of data at byte %,d after %,d samples, "
                + "%,d after %,d); queue files %,d bytes long, %,d allocated on disk%n", name,
                (large[0] - small[0]) / (double) (samples - SMALL), large[0], samples, small[0], SMALL, large[1],
                large[2]);
    }

    /** The end of the written data in the last cycle file, the files' length, and their allocated bytes. */
    private static long[] measure(int samples, RollCycle rollCycle, BiConsumer<Path, Integer> fill)
            throws IOException {
        Path directory = Files.createTempDirectory("vigil-bench-bytes");
        try {
            fill.accept(directory, samples);
            long end;
            try (ChronicleQueue queue = SingleChronicleQueueBuilder.binary(directory).rollCycle(rollCycle).build();
                    ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd();
                    DocumentContext last = tailer.readingDocument()) {
                // The last excerpt's read limit is where the queue's written data ends: samples, headers
                // and the index arrays interleaved with them, without the file's unused preallocation.
                end = last.wire().bytes().readLimit();
            }
            long length = 0;
            long allocated = 0;
            try (Stream<Path> files = Files.walk(directory)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList()) {
                    length += Files.size(file);
                    allocated += allocatedBytes(file);
                }
            }
            return new long[] {end, length, allocated};
        } finally {
            BenchFiles.deleteRecursively(directory);
        }
    }

    /** Bytes the file system allocated for {@code file} (the files are sparse), from {@code du}. */
    private static long allocatedBytes(Path file) throws IOException {
        Process du = new ProcessBuilder("du", "-B1", file.toString()).redirectErrorStream(true).start();
        String out = new String(du.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            du.waitFor();
            return Long.parseLong(out.trim().split("\\s+")[0]);
        } catch (InterruptedException | NumberFormatException e) {
            return -1;
        }
    }
}
