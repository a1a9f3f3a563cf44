package dev.vigil.benchmarks;

import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.agent.ship.Backoff;
import dev.vigil.agent.ship.ShipListener;
import dev.vigil.agent.ship.Shipper;
import dev.vigil.agent.ship.ShipperSettings;
import dev.vigil.collector.Collector;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Sample;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Samples per second through the whole pipeline on loopback: append to the agent's journal, ship in
 * batches of {@code batchSize}, and wait until the peer has acknowledged the last one. With
 * {@code peer = collector} the peer is the real collector (journal, dedup, state, SLA figures);
 * with {@code peer = ack-only} it is the baseline {@link AckOnlyCollector}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class PipelineBenchmark {
    private static final String TOKEN = "bench-token";

    @Param({"100", "1000"})
    public int batchSize;

    @Param({"collector", "ack-only"})
    public String peer;

    private Sample[] samples;
    private long sent;
    private Path directory;
    private AutoCloseable peerServer;
    private EventLoopGroup group;
    private SampleJournal journal;
    private Shipper shipper;

    @Setup(Level.Trial)
    public void start() throws Exception {
        samples = BenchSamples.create();
        directory = Files.createTempDirectory("vigil-bench-pipeline");
        int port;
        if (peer.equals("collector")) {
            CollectorConfig config = CollectorConfig.parse("bench-collector.yaml", """
                    listen: 127.0.0.1:0
                    data_dir: collector
                    agents:
                      - name: bench-agent
                        token: ${TOKEN}
                    """, Map.of("TOKEN", TOKEN)::get, directory);
            Collector collector = Collector.start(config, InstantSource.system());
            port = collector.port();
            peerServer = collector;
        } else {
            AckOnlyCollector ackOnly = AckOnlyCollector.start();
            port = ackOnly.port();
            peerServer = ackOnly;
        }
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        journal = SampleJournal.open(directory.resolve("agent-journal"));
        ShipperSettings settings = new ShipperSettings(URI.create("http://127.0.0.1:" + port + "/api/v1/ingest"), TOKEN,
                batchSize, Duration.ofSeconds(10), new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
        shipper = new Shipper(journal, directory.resolve("acked-position"), settings, group, ShipListener.NONE);
        shipper.start();
    }

    @TearDown(Level.Trial)
    public void stop() throws Exception {
        shipper.close();
        journal.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        peerServer.close();
        BenchFiles.deleteRecursively(directory);
    }

    /** One invocation moves {@value BenchSamples#COUNT} samples; JMH reports samples per second. */
    @Benchmark
    @OperationsPerInvocation(BenchSamples.COUNT)
    public long appendShipAcknowledge() {
        long last = -1;
        for (Sample sample : samples) {
            last = journal.append(BenchSamples.nextRun(sample, sent++));
        }
        shipper.wakeUp();
        while (shipper.ackedIndex() < last) {
            LockSupport.parkNanos(20_000);
        }
        return last;
    }
}
