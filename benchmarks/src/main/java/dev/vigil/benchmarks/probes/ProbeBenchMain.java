package dev.vigil.benchmarks.probes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The probe benchmark's command line, started by {@code benchmarks/probes/run} (which installs nginx,
 * builds the jars, compiles the reference prober and makes the certificate). It starts the targets,
 * blackbox_exporter, the collector and the agents, runs every part, and writes the result as markdown
 * and JSON into the result directory ({@code latest.md} is the newest). Every process it started is
 * stopped when it ends, also on failure.
 */
public final class ProbeBenchMain {
    private static final Logger LOG = LoggerFactory.getLogger(ProbeBenchMain.class);
    private static final Set<String> PARTS = Set.of("throughput", "latency", "schedule", "memory");

    private ProbeBenchMain() {
    }

    /** Runs the benchmark; exits 2 on a usage error, 1 when the run failed. */
    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        boolean quick = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--quick")) {
                quick = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                options.put(args[i].substring(2), args[++i]);
            } else {
                LOG.error("unknown or incomplete argument '{}'", args[i]);
                System.exit(2);
            }
        }
        try {
            BenchSettings settings = settings(options, quick);
            Set<String> parts = new LinkedHashSet<>(Arrays.asList(options.getOrDefault("parts",
                    String.join(",", PARTS)).split(",")));
            if (!PARTS.containsAll(parts)) {
                LOG.error("--parts takes a comma-separated list of {} (was {})", PARTS, parts);
                System.exit(2);
            }
            Path result = run(settings, parts, options.getOrDefault("command", "benchmarks/probes/run"), quick);
            LOG.info("result written to {}", result);
        } catch (IllegalArgumentException e) {
            LOG.error(e.getMessage());
            System.exit(2);
        } catch (RuntimeException e) {
            LOG.error("the probe benchmark failed", e);
            System.exit(1);
        }
        System.exit(0);
    }

    private static Path run(BenchSettings settings, Set<String> parts, String command, boolean quick) {
        long started = System.nanoTime();
        RunFacts facts = RunFacts.collect(settings, command, quick);
        BenchSettings.Plan plan = settings.plan();
        List<String> notes = new ArrayList<>();
        List<ThroughputPhase.Row> throughput = List.of();
        List<LatencyPhase.Row> latency = List.of();
        Optional<SchedulePhase> schedule = Optional.empty();
        List<MemoryRow> memory = new ArrayList<>();
        try (Children children = new Children(); ProbeDriver driver = new ProbeDriver()) {
            NginxTargets targets = NginxTargets.start(settings.nginx(), settings.workDir(), settings.cert(),
                    settings.key(), children);
            LOG.info("nginx targets: tcp {}, http {}, https {}", targets.tcpPort(), targets.httpPort(), targets.httpsPort());
            Path modules = ProbeProtocol.writeModules(settings.workDir().resolve("blackbox.yml"), settings.cert());
            ProbeEndpoint blackbox = ProbeEndpoint.blackbox(settings, modules, children);
            for (ProbeProtocol protocol : ProbeProtocol.values()) {
                // The driver and the targets must work before anything is measured with them.
                if (!driver.once(blackbox.probeUri(protocol, targets)).success()) {
                    throw new IllegalStateException("blackbox_exporter cannot probe " + protocol.probeTarget(targets)
                            + " with module " + protocol.module() + "; see " + blackbox.process().log());
                }
            }
            Optional<ProbeEndpoint> vigilEndpoint = Optional.empty();
            if (parts.contains("throughput") || parts.contains("latency")) {
                try {
                    vigilEndpoint = Optional.of(ProbeEndpoint.vigil(settings, modules, targets, children));
                } catch (ProbeEndpoint.Unavailable e) {
                    String note = "Vigil /probe endpoint mode skipped: " + e.getMessage();
                    LOG.warn(note);
                    notes.add(note);
                }
            }
            List<String> agents = new ArrayList<>(ThroughputPhase.agentNames());
            agents.addAll(LatencyPhase.agentNames());
            agents.addAll(List.of("schedule", "memory-small", "memory-large-launcher", "memory-small-launcher"));
            VigilCollector collector = VigilCollector.start(settings, agents, children);

            if (parts.contains("throughput")) {
                throughput = new ThroughputPhase(settings, targets, driver, collector, children).run(blackbox, vigilEndpoint);
            }
            if (parts.contains("latency")) {
                latency = new LatencyPhase(settings, targets, driver, collector, children).run(blackbox, vigilEndpoint);
            }
            // The endpoint is idle from here on; stopped, it cannot disturb the schedule and memory runs.
            vigilEndpoint.ifPresent(endpoint -> children.stop(endpoint.process(), Duration.ofSeconds(10)));
            if (parts.contains("schedule") || parts.contains("memory")) {
                ManyChecksRun.Result large = ManyChecksRun.run(settings, "schedule", plan.scheduleChecks(),
                        plan.scheduleInterval(), plan.scheduleInterval().multipliedBy(plan.scheduleIntervals()),
                        true, targets, collector, children);
                schedule = Optional.of(SchedulePhase.of(large));
                memory.add(MemoryRow.of(large));
            }
            if (parts.contains("memory")) {
                memory.add(MemoryRow.of(ManyChecksRun.run(settings, "memory-small", plan.smallChecks(),
                        plan.scheduleInterval(), plan.smallWindow(), true, targets, collector, children)));
                if (plan.compareLauncher()) {
                    memory.add(MemoryRow.of(ManyChecksRun.run(settings, "memory-large-launcher", plan.scheduleChecks(),
                            plan.scheduleInterval(), plan.smallWindow(), false, targets, collector, children)));
                    memory.add(MemoryRow.of(ManyChecksRun.run(settings, "memory-small-launcher", plan.smallChecks(),
                            plan.scheduleInterval(), plan.smallWindow(), false, targets, collector, children)));
                }
            }
        }
        if (parts.contains("throughput")) {
            notes.add(NginxTargets.handshakeSummary(settings.workDir()));
        }
        ProbeBenchReport report = new ProbeBenchReport(facts, settings, RunFacts.loadAverage(),
                Duration.ofNanos(System.nanoTime() - started), throughput, latency, schedule, memory, notes);
        return write(settings.resultDir(), report);
    }

    private static Path write(Path dir, ProbeBenchReport report) {
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(report.facts().started().atOffset(ZoneOffset.UTC));
        String markdown = report.markdown();
        String json = report.json().encodePrettily();
        try {
            Files.createDirectories(dir);
            Path md = dir.resolve("probes-" + stamp + ".md");
            Files.writeString(md, markdown);
            Files.writeString(dir.resolve("probes-" + stamp + ".json"), json);
            Files.writeString(dir.resolve("latest.md"), markdown);
            Files.writeString(dir.resolve("latest.json"), json);
            return md;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the result into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static BenchSettings settings(Map<String, String> options, boolean quick) {
        return new BenchSettings(
                path(options, "java"), path(options, "agent-jar"), path(options, "collector-jar"),
                path(options, "blackbox"), path(options, "nginx"), path(options, "refprobe"),
                path(options, "cert"), path(options, "key"), path(options, "work-dir"), path(options, "result-dir"),
                words(options.getOrDefault("launcher-flags", "")), words(options.getOrDefault("tuned-flags", "")),
                environment(options.getOrDefault("tuned-env", "")),
                quick ? BenchSettings.Plan.quick() : BenchSettings.Plan.full());
    }

    private static Path path(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return Path.of(value).toAbsolutePath();
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s+"));
    }

    private static Map<String, String> environment(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String pair : words(text)) {
            int equals = pair.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("--tuned-env takes NAME=value pairs (was '" + pair + "')");
            }
            env.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return env;
    }
}
