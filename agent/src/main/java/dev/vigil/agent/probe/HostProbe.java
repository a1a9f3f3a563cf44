package dev.vigil.agent.probe;

import dev.vigil.config.check.CheckConfig;
import dev.vigil.config.check.HostProbeSpec;
import dev.vigil.agent.host.CpuTimes;
import dev.vigil.agent.host.DiskUsage;
import dev.vigil.agent.host.MemoryFigures;
import dev.vigil.agent.host.Mount;
import dev.vigil.agent.host.ProcFiles;
import dev.vigil.config.DurationText;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the agent's own host: CPU busy share over a short window inside the run, memory, swap,
 * load per CPU, uptime and the used share of each watched file system, from Linux's {@code /proc}
 * and {@code statvfs}.
 *
 * <p>{@code THRESHOLD_EXCEEDED} names every measure above its limit; {@code ASSERTION_FAILED} when a
 * listed mount is not mounted or its size cannot be read; {@code TIMEOUT} when the figures are not
 * all read within the check's timeout (a file system that does not answer). The files are read on
 * the probe factory's host reader thread; the verdict is drawn on the run's event loop.
 */
public final class HostProbe implements Probe {
    private static final Logger LOG = LoggerFactory.getLogger(HostProbe.class);
    private static final Duration MAX_CPU_WINDOW = Duration.ofSeconds(1);

    private final HostProbeSpec spec;
    private final Duration timeout;
    private final Duration cpuWindow;
    private final ProcFiles proc;
    private final ScheduledExecutorService reader;

    /** A probe for {@code check}, whose settings are {@code spec}, reading {@code /proc} on {@code factory}'s reader. */
    public HostProbe(CheckConfig check, HostProbeSpec spec, ProbeFactory factory) {
        this(check, spec, new ProcFiles(Path.of("/proc")), factory.hostReader());
    }

    /** A probe reading the {@code /proc} tree of {@code proc} on {@code reader}. */
    HostProbe(CheckConfig check, HostProbeSpec spec, ProcFiles proc, ScheduledExecutorService reader) {
        this.spec = spec;
        this.timeout = check.timeout();
        Duration half = timeout.dividedBy(2);
        this.cpuWindow = half.compareTo(MAX_CPU_WINDOW) < 0 ? half : MAX_CPU_WINDOW;
        this.proc = proc;
        this.reader = reader;
    }

    /** How long a run watches the CPU counters: half the check's timeout, at most 1 s. */
    Duration cpuWindow() {
        return cpuWindow;
    }

    @Override
    public CompletionStage<ProbeResult> run(EventLoop loop) {
        HostRun run = new HostRun(loop);
        loop.execute(run::start);
        return run.result;
    }

    /** What one run read, on the reader thread. */
    private record Readings(double cpuUsage, int cpus, MemoryFigures memory, double load1, double uptimeSeconds,
            List<DiskUsage> disks, List<String> diskProblems) {
    }

    /** One run: its deadline and result live on the event loop, its reads on the reader thread. */
    private final class HostRun {
        private final EventLoop loop;
        private final CompletableFuture<ProbeResult> result = new CompletableFuture<>();
        private final List<ProbeFact> facts = new ArrayList<>();
        private long startNanos;
        private ScheduledFuture<?> deadline;

        HostRun(EventLoop loop) {
            this.loop = loop;
        }

        void start() {
            startNanos = System.nanoTime();
            deadline = loop.schedule(() -> finish(Outcome.TIMEOUT, "host figures not all read within "
                    + DurationText.format(timeout) + " (a file system that does not answer?)"),
                    timeout.toNanos(), TimeUnit.NANOSECONDS);
            try {
                reader.execute(this::readFirst);
            } catch (RejectedExecutionException e) {
                finish(Outcome.AGENT_ERROR, "the host reader is shut down");
            }
        }

        private void readFirst() {
            try {
                CpuTimes first = proc.cpuTimes();
                reader.schedule(() -> readRest(first), cpuWindow.toNanos(), TimeUnit.NANOSECONDS);
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> failed(e));
            }
        }

        private void readRest(CpuTimes first) {
            if (result.isDone()) {
                return;
            }
            try {
                CpuTimes second = proc.cpuTimes();
                MemoryFigures memory = proc.memory();
                double load1 = proc.load1();
                double uptime = proc.uptimeSeconds();
                List<DiskUsage> disks = new ArrayList<>();
                List<String> problems = new ArrayList<>();
                for (Path mountPoint : watchedMounts(proc.mounts(), problems)) {
                    try {
                        disks.add(DiskUsage.of(mountPoint));
                    } catch (IOException e) {
                        problems.add("disk " + mountPoint + ": size not readable (" + e + ")");
                    }
                }
                Readings readings = new Readings(second.usageSince(first), second.cpus(), memory, load1, uptime,
                        disks, problems);
                loop.execute(() -> evaluate(readings));
            } catch (IOException | RuntimeException e) {
                loop.execute(() -> failed(e));
            }
        }

        /**
         * The listed mounts that are mounted (the others go to {@code problems}), or, when none are
         * listed, every local disk file system, each device once (bind mounts repeat one).
         */
        private List<Path> watchedMounts(List<Mount> table, List<String> problems) {
            List<Path> watched = new ArrayList<>();
            if (spec.mounts().isEmpty()) {
                Set<String> devices = new HashSet<>();
                for (Mount mount : table) {
                    if (mount.localDisk() && devices.add(mount.device())) {
                        watched.add(mount.mountPoint());
                    }
                }
                return watched;
            }
            Set<Path> mounted = new HashSet<>();
            table.forEach(mount -> mounted.add(mount.mountPoint()));
            for (Path listed : spec.mounts()) {
                if (mounted.contains(listed)) {
                    watched.add(listed);
                } else {
                    problems.add("mount " + listed + " is not mounted");
                }
            }
            return watched;
        }

        private void evaluate(Readings readings) {
            double loadPerCpu = readings.load1() / readings.cpus();
            fact("vigil_host_cpu_usage_ratio", readings.cpuUsage());
            fact("vigil_host_cpu_count", readings.cpus());
            fact("vigil_host_memory_usage_ratio", readings.memory().memoryUsage());
            fact("vigil_host_swap_usage_ratio", readings.memory().swapUsage());
            fact("vigil_host_load1", readings.load1());
            fact("vigil_host_load_per_cpu", loadPerCpu);
            fact("vigil_host_uptime_seconds", readings.uptimeSeconds());
            List<String> exceeded = new ArrayList<>();
            above(exceeded, "cpu", "busy", readings.cpuUsage(), spec.maxCpuUsage(), "max_cpu");
            above(exceeded, "memory", "used", readings.memory().memoryUsage(), spec.maxMemoryUsage(), "max_memory");
            above(exceeded, "swap", "used", readings.memory().swapUsage(), spec.maxSwapUsage(), "max_swap");
            for (DiskUsage disk : readings.disks()) {
                facts.add(new ProbeFact("vigil_host_disk_usage_ratio", Map.of("mount", disk.mountPoint().toString()),
                        disk.usage()));
                above(exceeded, "disk " + disk.mountPoint(), "used", disk.usage(), spec.maxDiskUsage(), "max_disk");
            }
            OptionalDouble maxLoad = spec.maxLoadPerCpu();
            if (maxLoad.isPresent() && loadPerCpu > maxLoad.getAsDouble()) {
                exceeded.add(String.format(Locale.ROOT, "load %.2f per cpu > max_load_per_cpu %s", loadPerCpu,
                        plain(maxLoad.getAsDouble())));
            }
            if (!readings.diskProblems().isEmpty()) {
                List<String> all = new ArrayList<>(readings.diskProblems());
                all.addAll(exceeded);
                finish(Outcome.ASSERTION_FAILED, String.join("; ", all));
            } else if (!exceeded.isEmpty()) {
                finish(Outcome.THRESHOLD_EXCEEDED, String.join("; ", exceeded));
            } else {
                finish(Outcome.OK, "");
            }
        }

        private void failed(Throwable failure) {
            if (failure instanceof AccessDeniedException denied) {
                finish(Outcome.NOT_PERMITTED, "cannot read " + denied.getFile() + ": permission denied");
                return;
            }
            if (!(failure instanceof IOException)) {
                LOG.warn("Reading the host's figures failed in an unexpected way", failure);
            }
            finish(Outcome.AGENT_ERROR, "cannot read the host's figures (is this Linux with /proc mounted?): "
                    + failure.getMessage());
        }

        private void fact(String name, double value) {
            facts.add(ProbeFact.of(name, value));
        }

        private void finish(Outcome outcome, String detail) {
            if (result.isDone()) {
                return;
            }
            deadline.cancel(false);
            long totalNanos = System.nanoTime() - startNanos;
            result.complete(new ProbeResult(outcome, Sample.NOT_MEASURED, Sample.NOT_MEASURED, Sample.NOT_MEASURED,
                    Sample.NOT_MEASURED, totalNanos, 0, detail, facts));
        }
    }

    private static void above(List<String> exceeded, String what, String state, double ratio, OptionalDouble limit,
            String field) {
        if (limit.isPresent() && ratio > limit.getAsDouble()) {
            exceeded.add(String.format(Locale.ROOT, "%s %.1f%% %s > %s %s%%", what, ratio * 100, state, field,
                    plain(limit.getAsDouble() * 100)));
        }
    }

    /** A limit as written: {@code 90}, {@code 92.5}, {@code 1.5}. */
    private static String plain(double value) {
        return new BigDecimal(Double.toString(value)).setScale(3, java.math.RoundingMode.HALF_UP)
                .stripTrailingZeros().toPlainString();
    }
}
