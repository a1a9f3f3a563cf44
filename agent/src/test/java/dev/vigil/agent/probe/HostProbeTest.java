package dev.vigil.agent.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.HostProbeSpec;
import dev.vigil.agent.host.ProcFiles;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostProbeTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final String STAT_BEFORE = "cpu  100 0 50 800 30 10 10 0 0 0\ncpu0 50 0 25 400 15 5 5 0 0 0\n"
            + "cpu1 50 0 25 400 15 5 5 0 0 0\n";
    /** 900 of the 1000 ticks since {@link #STAT_BEFORE} were busy. */
    private static final String STAT_AFTER = "cpu  700 0 250 880 50 60 60 0 0 0\ncpu0 350 0 125 440 25 30 30 0 0 0\n"
            + "cpu1 350 0 125 440 25 30 30 0 0 0\n";
    private static final HostProbeSpec NO_LIMITS = limits(null, null, null, null, null, List.of());
    private static EventLoopGroup group;

    @TempDir
    Path proc;
    @TempDir
    Path disks;
    private ScheduledExecutorService reader;

    @BeforeAll
    static void startLoop() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopLoop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void craftProc() throws IOException {
        reader = Executors.newSingleThreadScheduledExecutor();
        write("stat", STAT_BEFORE);
        write("meminfo", "MemTotal: 1000 kB\nMemFree: 100 kB\nMemAvailable: 250 kB\nSwapTotal: 400 kB\n"
                + "SwapFree: 300 kB\n");
        write("loadavg", "3.00 2.50 2.00 3/200 4242\n");
        write("uptime", "12345.67 20000.00\n");
        Path spaced = Files.createDirectory(disks.resolve("data disk"));
        write("self/mounts", String.join("\n",
                "/dev/vda / ext4 rw,relatime 0 0",
                "proc /proc proc rw 0 0",
                "tmpfs /dev/shm tmpfs rw 0 0",
                "overlay /var/lib/docker/overlay2/x/merged overlay rw 0 0",
                "/dev/vda " + disks + " ext4 rw 0 0",
                "/dev/vdb " + spaced.toString().replace(" ", "\\040") + " xfs rw 0 0",
                ""));
    }

    @AfterEach
    void stopReader() {
        reader.shutdownNow();
    }

    @Test
    void readsEveryFigureFromCraftedProcFiles() throws Exception {
        CompletableFuture<Void> fed = feedStatTwice();

        ProbeResult result = run(NO_LIMITS);

        fed.get(5, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(result.detail()).isEmpty();
        assertThat(result.dnsNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(result.firstByteNanos()).isEqualTo(Sample.NOT_MEASURED);
        assertThat(result.totalNanos()).isPositive();
        assertThat(fact(result, "vigil_host_cpu_usage_ratio")).isEqualTo(0.9);
        assertThat(fact(result, "vigil_host_cpu_count")).isEqualTo(2);
        assertThat(fact(result, "vigil_host_memory_usage_ratio")).isEqualTo(0.75);
        assertThat(fact(result, "vigil_host_swap_usage_ratio")).isEqualTo(0.25);
        assertThat(fact(result, "vigil_host_load1")).isEqualTo(3.0);
        assertThat(fact(result, "vigil_host_load_per_cpu")).isEqualTo(1.5);
        assertThat(fact(result, "vigil_host_uptime_seconds")).isEqualTo(12345.67);
        assertThat(result.facts()).filteredOn(fact -> fact.name().equals("vigil_host_disk_usage_ratio"))
                .as("each local disk once: the second mount of /dev/vda and the virtual file systems are left out")
                .extracting(fact -> fact.labels().get("mount"))
                .containsExactly("/", disks.resolve("data disk").toString());
    }

    @Test
    void namesEveryMeasureOverItsLimit() throws Exception {
        CompletableFuture<Void> fed = feedStatTwice();

        ProbeResult result = run(limits(0.8, 0.7, 0.2, 0.0, 1.0, List.of(Path.of("/"))));

        fed.get(5, TimeUnit.SECONDS);
        assertThat(result.outcome()).isEqualTo(Outcome.THRESHOLD_EXCEEDED);
        assertThat(result.detail()).matches("cpu 90\\.0% busy > max_cpu 80%; memory 75\\.0% used > max_memory 70%; "
                + "swap 25\\.0% used > max_swap 20%; disk / \\d+\\.\\d% used > max_disk 0%; "
                + "load 1\\.50 per cpu > max_load_per_cpu 1");
    }

    @Test
    void isOkAtItsLimits() throws Exception {
        ProbeResult result = run(limits(0.0, 0.75, 0.25, 1.0, 1.5, List.of(Path.of("/"))));

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(fact(result, "vigil_host_cpu_usage_ratio")).as("the same counters twice").isZero();
    }

    @Test
    void failsWhenAListedMountIsNotMountedAndStillNamesTheMeasuresOverTheirLimits() throws Exception {
        ProbeResult result = run(limits(null, 0.5, null, 1.0, null, List.of(Path.of("/"), Path.of("/srv/backup"))));

        assertThat(result.outcome()).isEqualTo(Outcome.ASSERTION_FAILED);
        assertThat(result.detail()).isEqualTo("mount /srv/backup is not mounted; memory 75.0% used > max_memory 50%");
        assertThat(result.facts()).filteredOn(fact -> fact.name().equals("vigil_host_disk_usage_ratio"))
                .extracting(fact -> fact.labels().get("mount")).containsExactly("/");
    }

    @Test
    void reportsAgentErrorWhenProcHoldsNoStatFile() throws Exception {
        Files.delete(proc.resolve("stat"));

        ProbeResult result = run(NO_LIMITS);

        assertThat(result.outcome()).isEqualTo(Outcome.AGENT_ERROR);
        assertThat(result.detail()).isEqualTo(
                "cannot read the host's figures (is this Linux with /proc mounted?): " + proc.resolve("stat"));
    }

    @Test
    void timesOutWhenAReadDoesNotReturn() throws Exception {
        Path stat = fifo("stat");
        try {
            ProbeResult result = run(NO_LIMITS, Duration.ofMillis(300));

            assertThat(result.outcome()).isEqualTo(Outcome.TIMEOUT);
            assertThat(result.detail()).isEqualTo("host figures not all read within 300ms (a file system that does not answer?)");
        } finally {
            // Lets the reader blocked on the pipe go.
            Files.writeString(stat, "");
        }
    }

    @Test
    void readsTheRealProcThroughTheFactory() throws Exception {
        CheckConfig check = new CheckConfig("self", Duration.ofSeconds(4), TIMEOUT, NO_LIMITS);
        ProbeResult result;
        try (ProbeFactory factory = ProbeFactory.withSystemDefaults(group)) {
            Probe probe = factory.create(check);
            assertThat(probe).isInstanceOf(HostProbe.class);
            result = probe.run(group.next()).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        assertThat(result.outcome()).isEqualTo(Outcome.OK);
        assertThat(fact(result, "vigil_host_cpu_usage_ratio")).isBetween(0.0, 1.0);
        assertThat(fact(result, "vigil_host_cpu_count")).isGreaterThanOrEqualTo(1);
        assertThat(fact(result, "vigil_host_memory_usage_ratio")).isGreaterThan(0.0).isLessThanOrEqualTo(1.0);
        assertThat(fact(result, "vigil_host_swap_usage_ratio")).isBetween(0.0, 1.0);
        assertThat(fact(result, "vigil_host_load1")).isGreaterThanOrEqualTo(0.0);
        assertThat(fact(result, "vigil_host_uptime_seconds")).isPositive();
        assertThat(result.facts()).filteredOn(fact -> fact.name().equals("vigil_host_disk_usage_ratio"))
                .allSatisfy(fact -> assertThat(fact.value()).isBetween(0.0, 1.0));
    }

    @Test
    void watchesTheCpuForHalfTheTimeoutAtMostOneSecond() {
        assertThat(probe(NO_LIMITS, Duration.ofMillis(600)).cpuWindow()).isEqualTo(Duration.ofMillis(300));
        assertThat(probe(NO_LIMITS, Duration.ofSeconds(10)).cpuWindow()).isEqualTo(Duration.ofSeconds(1));
    }

    /**
     * Makes {@code stat} a pipe that hands the first reader {@link #STAT_BEFORE}; once that reader
     * has it, {@link #STAT_AFTER} replaces the pipe for the probe's second read, which comes a CPU
     * window (1 s here) later.
     */
    private CompletableFuture<Void> feedStatTwice() throws IOException, InterruptedException {
        Path stat = fifo("stat");
        Path after = write("stat.after", STAT_AFTER);
        return CompletableFuture.runAsync(() -> {
            try {
                try (OutputStream out = Files.newOutputStream(stat)) {
                    out.write(STAT_BEFORE.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                Files.move(after, stat, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private Path fifo(String name) throws IOException, InterruptedException {
        Path path = proc.resolve(name);
        Files.deleteIfExists(path);
        Process mkfifo = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        return path;
    }

    private Path write(String name, String content) throws IOException {
        Path path = proc.resolve(name);
        Files.createDirectories(path.getParent());
        return Files.writeString(path, content);
    }

    private ProbeResult run(HostProbeSpec spec) throws Exception {
        return run(spec, TIMEOUT);
    }

    private ProbeResult run(HostProbeSpec spec, Duration timeout) throws Exception {
        return probe(spec, timeout).run(group.next()).toCompletableFuture()
                .get(timeout.toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    private HostProbe probe(HostProbeSpec spec, Duration timeout) {
        CheckConfig check = new CheckConfig("self", timeout.multipliedBy(2), timeout, spec);
        return new HostProbe(check, spec, new ProcFiles(proc), reader);
    }

    private static HostProbeSpec limits(Double cpu, Double memory, Double swap, Double disk, Double loadPerCpu,
            List<Path> mounts) {
        return new HostProbeSpec(optional(cpu), optional(memory), optional(swap), optional(disk), optional(loadPerCpu),
                mounts);
    }

    private static OptionalDouble optional(Double value) {
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(value);
    }

    private static double fact(ProbeResult result, String name) {
        return result.facts().stream()
                .filter(fact -> fact.name().equals(name) && fact.labels().equals(Map.of()))
                .mapToDouble(ProbeFact::value)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no fact " + name + " in " + result.facts()));
    }
}
