package dev.vigil.benchmarks;

import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The agent's journal append (a sample made durable against an agent crash) against its baseline,
 * encoding the same sample into a fresh array in memory.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class JournalAppendBenchmark {
    private Sample[] samples;
    private Path directory;
    private SampleJournal journal;
    private int next;

    // A fresh journal per iteration: at millions of samples a second one journal would reach its 1 GiB
    // disk budget within a trial, and the benchmark would measure the refusals of a full journal.
    @Setup(Level.Iteration)
    public void open() throws IOException {
        samples = BenchSamples.create();
        directory = Files.createTempDirectory("vigil-bench-journal");
        journal = SampleJournal.open(directory.resolve("journal"));
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        journal.close();
        BenchFiles.deleteRecursively(directory);
    }

    @Benchmark
    public long journalAppend() {
        return journal.append(samples[next++ % samples.length]);
    }

    @Benchmark
    public byte[] baselineEncodeOnly() {
        return SampleCodec.toBytes(samples[next++ % samples.length]);
    }
}
