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

/**
 * Bytes on disk per sample in the agent's {@link SampleJournal} and the {@link CollectorJournal}:
 * appends {@code N} {@link BenchSamples} (default 1,000,000) to a fresh journal, closes it, and divides
 * the growth of its queue files by the samples, against the same journal holding 1,000 samples
 * (which takes out the queue's fixed overhead: header, index root, metadata). Queue files are counted
 * with their length after close; Chronicle Queue trims a cycle file to what it wrote when the queue
 * closes. Goal: 64 bytes or fewer per sample in the agent's journal.
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
        report("agent SampleJournal", samples, (directory, count) -> {
            try (SampleJournal journal = SampleJournal.open(directory)) {
                for (int i = 0; i < count; i++) {
                    journal.append(shifted(pool, i));
                }
            }
        });
        report("collector CollectorJournal", samples, (directory, count) -> {
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

    private static void report(String name, int samples, BiConsumer<Path, Integer> fill) throws IOException {
        long small = size(SMALL, fill);
        long large = size(samples, fill);
        System.out.printf(Locale.ROOT, "%s: %,d samples in %,d bytes of queue files, %,d for %,d samples: "
                + "%.1f B per sample%n", name, samples, large, small, SMALL,
                (large - small) / (double) (samples - SMALL));
    }

    private static long size(int samples, BiConsumer<Path, Integer> fill) throws IOException {
        Path directory = Files.createTempDirectory("vigil-bench-bytes");
        try {
            fill.accept(directory, samples);
            try (Stream<Path> files = Files.walk(directory)) {
                long total = 0;
                for (Path file : files.filter(f -> f.toString().endsWith(".cq4")).toList()) {
                    total += Files.size(file);
                }
                return total;
            }
        } finally {
            BenchFiles.deleteRecursively(directory);
        }
    }
}
