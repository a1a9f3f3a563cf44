package dev.vigil.benchmarks.probes;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The result of one run: every table, every goal with its verdict, as markdown for people and JSON
 * for tools.
 *
 * @param facts      the run's circumstances
 * @param settings   what ran and how long
 * @param loadAfter  {@code /proc/loadavg} at the end
 * @param elapsed    how long the run took
 * @param throughput goal 1's rows
 * @param latency    goal 2's rows
 * @param schedule   goal 3's figures, when that part ran
 * @param memory     goal 4's rows
 * @param notes      what was skipped and why
 */
record ProbeBenchReport(RunFacts facts, BenchSettings settings, String loadAfter, Duration elapsed,
        List<ThroughputPhase.Row> throughput, List<LatencyPhase.Row> latency, Optional<SchedulePhase> schedule,
        List<MemoryRow> memory, List<String> notes) {

    /** 128 MiB, goal 4's limit. */
    static final long RSS_GOAL_KIB = 128 * 1024;
    /** 5 ms, goal 3's limit on the 99th percentile of start lateness. */
    static final long LATENESS_GOAL_NANOS = 5_000_000;
    private static final Map<ProbeProtocol, Double> THROUGHPUT_GOALS = Map.of(
            ProbeProtocol.TCP, 6.0, ProbeProtocol.HTTP, 6.0, ProbeProtocol.HTTPS, 1.5);
    private static final double LATENCY_ERROR_GOAL = 0.2;

    /**
     * One goal's verdict.
     *
     * @param goal   what is asked
     * @param figure what was measured
     * @param met    whether it was met, empty when it could not be measured in this run
     */
    record Verdict(String goal, String figure, Optional<Boolean> met) {
        String label() {
            return met.map(yes -> yes ? "met" : "**not met**").orElse("not measured");
        }
    }

    List<Verdict> verdicts() {
        List<Verdict> verdicts = new ArrayList<>();
        for (ProbeProtocol protocol : ProbeProtocol.values()) {
            double goal = THROUGHPUT_GOALS.get(protocol);
            for (String prober : List.of(ThroughputPhase.VIGIL, ThroughputPhase.VIGIL_ENDPOINT)) {
                Optional<ThroughputPhase.Row> vigil = throughputRow(protocol, prober);
                Optional<ThroughputPhase.Row> blackbox = throughputRow(protocol, ThroughputPhase.BLACKBOX);
                if (vigil.isEmpty() || blackbox.isEmpty()) {
                    continue;
                }
                double ratio = vigil.get().perCpuSecond() / blackbox.get().perCpuSecond();
                verdicts.add(new Verdict(
                        "1. " + protocol.label().toUpperCase(Locale.ROOT) + " probes per CPU-second, " + prober
                                + ": ≥ " + number(goal, 1) + "× blackbox_exporter",
                        number(ratio, 2) + "× (" + number(vigil.get().perCpuSecond(), 0) + " vs "
                                + number(blackbox.get().perCpuSecond(), 0) + ")",
                        Optional.of(ratio >= goal)));
            }
        }
        for (LatencyPhase.Condition condition : LatencyPhase.Condition.values()) {
            for (ProbeProtocol protocol : List.of(ProbeProtocol.TCP, ProbeProtocol.HTTP)) {
                for (String prober : List.of(ThroughputPhase.VIGIL, ThroughputPhase.VIGIL_ENDPOINT)) {
                    Optional<LatencyPhase.Row> vigil = latencyRow(condition, protocol, prober);
                    Optional<LatencyPhase.Row> blackbox = latencyRow(condition, protocol, ThroughputPhase.BLACKBOX);
                    if (vigil.isEmpty() || blackbox.isEmpty()) {
                        continue;
                    }
                    for (boolean p99 : new boolean[] {false, true}) {
                        long mine = p99 ? vigil.get().errorP99() : vigil.get().errorP50();
                        long theirs = p99 ? blackbox.get().errorP99() : blackbox.get().errorP50();
                        verdicts.add(new Verdict(
                                "2. " + protocol.label().toUpperCase(Locale.ROOT) + " latency error "
                                        + (p99 ? "p99" : "median") + ", " + lower(condition) + ", " + prober
                                        + ": ≤ 1/5 of blackbox_exporter's",
                                millis(mine, true) + " vs " + millis(theirs, true) + " ("
                                        + number(Math.abs((double) mine) / Math.max(1, Math.abs(theirs)), 2) + "×)",
                                Optional.of(Math.abs(mine) <= LATENCY_ERROR_GOAL * Math.abs(theirs))));
                    }
                }
            }
        }
        schedule.ifPresentOrElse(result -> {
            verdicts.add(new Verdict("3. start lateness p99 with " + count(result.run().checks())
                    + " TCP checks every " + result.run().interval().toSeconds() + " s: ≤ 5 ms",
                    millis(result.lateness().p99(), false), Optional.of(result.lateness().p99() <= LATENESS_GOAL_NANOS)));
            verdicts.add(new Verdict("3. scheduled stamps exactly on their slots (no drift)",
                    count(result.offSlot()) + " of " + count(result.samples()) + " off their slot",
                    Optional.of(result.offSlot() == 0 && result.samples() > 0)));
        }, () -> verdicts.add(new Verdict("3. schedule lateness and drift", "not run", Optional.empty())));
        Optional<MemoryRow> large = memory.stream().filter(row -> row.tuned() && row.checks() >= 10_000).findFirst();
        verdicts.add(large.map(row -> new Verdict("4. agent RSS with " + count(row.checks())
                        + " checks, recommended flags: ≤ 128 MiB",
                        mib(row.rssMaxKib()) + " (largest of " + row.samples() + " samples)",
                        Optional.of(row.rssMaxKib() <= RSS_GOAL_KIB)))
                .orElse(new Verdict("4. agent RSS with 10,000 checks", "not run", Optional.empty())));
        return verdicts;
    }

    String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Vigil probe benchmark, ").append(DateTimeFormatter.ISO_LOCAL_DATE.format(facts.started().atOffset(ZoneOffset.UTC)))
                .append(facts.quick() ? " (quick run)" : "").append("\n\n");
        md.append("- machine: ").append(facts.cores()).append(" cores, ").append(facts.cpuModel()).append(", Linux ")
                .append(facts.kernel()).append('\n');
        md.append("- ").append(facts.java()).append("; ").append(facts.blackbox()).append("; ").append(facts.nginx()).append('\n');
        md.append("- load average before ").append(facts.loadBefore()).append(", after ").append(loadAfter)
                .append("; run took ").append(elapsed.toSeconds()).append(" s\n");
        md.append("- command: `").append(facts.command()).append("`\n");
        md.append("- agent JVM flags: launcher `").append(String.join(" ", settings.launcherFlags()))
                .append("`, recommended `").append(String.join(" ", settings.tunedFlags()))
                .append(settings.tunedEnv().isEmpty() ? "" : "` with environment `" + env()).append("`\n");
        for (String note : notes) {
            md.append("- note: ").append(note).append('\n');
        }
        md.append("\n## Goals\n\n| goal | measured | verdict |\n| --- | --- | --- |\n");
        for (Verdict verdict : verdicts()) {
            md.append("| ").append(verdict.goal()).append(" | ").append(verdict.figure()).append(" | ")
                    .append(verdict.label()).append(" |\n");
        }
        md.append("\n## 1. Probes per CPU-second of the prober\n\n");
        md.append("| protocol | prober | how | probes | failed | probes/s | CPU (cores) | kernel share | probes per CPU-s | × blackbox |\n");
        md.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (ThroughputPhase.Row row : throughput) {
            double baseline = throughputRow(row.protocol(), ThroughputPhase.BLACKBOX)
                    .map(ThroughputPhase.Row::perCpuSecond).orElse(Double.NaN);
            md.append("| ").append(row.protocol().label()).append(" | ").append(row.prober()).append(" | ")
                    .append(row.note()).append(" | ").append(count(row.probes())).append(" | ")
                    .append(count(row.failures())).append(" | ").append(number(row.perSecond(), 0)).append(" | ")
                    .append(number(row.cores(), 2)).append(" | ").append(percent(row.systemShare())).append(" | ")
                    .append(number(row.perCpuSecond(), 0)).append(" | ")
                    .append(number(row.perCpuSecond() / baseline, 2)).append(" |\n");
        }
        for (ThroughputPhase.Row row : throughput) {
            if (!row.failureKinds().isEmpty()) {
                md.append("\n").append(row.protocol().label()).append(", ").append(row.prober()).append(", failures: ")
                        .append(row.failureKinds()).append('\n');
            }
        }
        md.append("\n## 2. Reported latency minus the reference's\n\n");
        md.append("| condition | protocol | prober | samples | failed | p50 | p99 | error p50 | error p99 |\n");
        md.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (LatencyPhase.Row row : latency) {
            boolean reference = row.prober().equals(LatencyPhase.REFERENCE);
            md.append("| ").append(lower(row.condition())).append(" | ").append(row.protocol().label()).append(" | ")
                    .append(row.prober()).append(" | ").append(row.reported().count()).append(" | ")
                    .append(row.failures()).append(" | ").append(millis(row.reported().p50(), false)).append(" | ")
                    .append(millis(row.reported().p99(), false)).append(" | ")
                    .append(reference ? "" : millis(row.errorP50(), true)).append(" | ")
                    .append(reference ? "" : millis(row.errorP99(), true)).append(" |\n");
        }
        md.append("\n## 3. Schedule\n\n");
        schedule.ifPresent(result -> {
            md.append("| checks | interval | intervals measured | samples | missing | off slot | failed"
                    + " | lateness p50 | p99 | p99.9 | max | agent CPU (cores) |\n");
            md.append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            long windowMillis = result.run().endEpochMillis() - result.run().startEpochMillis();
            md.append("| ").append(count(result.run().checks())).append(" | ")
                    .append(result.run().interval().toSeconds()).append(" s | ")
                    .append(windowMillis / result.run().interval().toMillis()).append(" | ")
                    .append(count(result.samples())).append(" | ").append(count(result.missing())).append(" | ")
                    .append(count(result.offSlot())).append(" | ").append(count(result.failures())).append(" | ")
                    .append(millis(result.lateness().p50(), false)).append(" | ")
                    .append(millis(result.lateness().p99(), false)).append(" | ")
                    .append(millis(result.lateness().p999(), false)).append(" | ")
                    .append(millis(result.lateness().max(), false)).append(" | ")
                    .append(number(result.run().cpuSeconds() * 1000.0 / windowMillis, 2)).append(" |\n");
        });
        md.append("\n## 4. Agent memory (VmRSS, sampled every second after the settling intervals)\n\n");
        md.append("| checks | flags | RSS median | RSS max | agent CPU (cores) |\n| ---: | --- | ---: | ---: | ---: |\n");
        for (MemoryRow row : memory) {
            md.append("| ").append(count(row.checks())).append(" | ").append(row.tuned() ? "recommended" : "launcher only")
                    .append(" | ").append(mib(row.rssMedianKib())).append(" | ").append(mib(row.rssMaxKib()))
                    .append(" | ").append(number(row.cpuCores(), 2)).append(" |\n");
        }
        return md.toString();
    }

    JsonObject json() {
        JsonObject json = new JsonObject()
                .put("started", facts.started().toString())
                .put("quick", facts.quick())
                .put("machine", new JsonObject().put("cores", facts.cores()).put("cpu", facts.cpuModel())
                        .put("kernel", facts.kernel()).put("loadBefore", facts.loadBefore()).put("loadAfter", loadAfter))
                .put("versions", new JsonObject().put("java", facts.java()).put("blackbox", facts.blackbox())
                        .put("nginx", facts.nginx()))
                .put("command", facts.command())
                .put("elapsedSeconds", elapsed.toSeconds())
                .put("agentFlags", new JsonObject()
                        .put("launcher", new JsonArray(new ArrayList<>(settings.launcherFlags())))
                        .put("recommended", new JsonArray(new ArrayList<>(settings.tunedFlags())))
                        .put("recommendedEnv", new JsonObject(new LinkedHashMap<>(settings.tunedEnv()))))
                .put("notes", new JsonArray(new ArrayList<>(notes)));
        JsonArray goals = new JsonArray();
        verdicts().forEach(verdict -> goals.add(new JsonObject().put("goal", verdict.goal())
                .put("measured", verdict.figure()).put("met", verdict.met().orElse(null))));
        json.put("goals", goals);
        JsonArray rows = new JsonArray();
        for (ThroughputPhase.Row row : throughput) {
            rows.add(new JsonObject().put("protocol", row.protocol().label()).put("prober", row.prober())
                    .put("how", row.note()).put("probes", row.probes()).put("failures", row.failures())
                    .put("cpuSeconds", row.cpuSeconds()).put("systemCpuSeconds", row.cpu().systemSeconds())
                    .put("wallSeconds", row.wallSeconds())
                    .put("probesPerCpuSecond", finite(row.perCpuSecond())).put("failureKinds", row.failureKinds()));
        }
        json.put("throughput", rows);
        JsonArray latencies = new JsonArray();
        for (LatencyPhase.Row row : latency) {
            latencies.add(new JsonObject().put("condition", lower(row.condition())).put("protocol", row.protocol().label())
                    .put("prober", row.prober()).put("samples", row.reported().count()).put("failures", row.failures())
                    .put("p50Nanos", row.reported().p50()).put("p99Nanos", row.reported().p99())
                    .put("referenceP50Nanos", row.reference().p50()).put("referenceP99Nanos", row.reference().p99())
                    .put("errorP50Nanos", row.errorP50()).put("errorP99Nanos", row.errorP99()));
        }
        json.put("latency", latencies);
        schedule.ifPresent(result -> json.put("schedule", new JsonObject()
                .put("checks", result.run().checks()).put("intervalSeconds", result.run().interval().toSeconds())
                .put("windowMillis", result.run().endEpochMillis() - result.run().startEpochMillis())
                .put("samples", result.samples()).put("expected", result.expected()).put("offSlot", result.offSlot())
                .put("failures", result.failures())
                .put("latenessP50Nanos", result.lateness().p50()).put("latenessP99Nanos", result.lateness().p99())
                .put("latenessP999Nanos", result.lateness().p999()).put("latenessMaxNanos", result.lateness().max())
                .put("cpuSeconds", result.run().cpuSeconds())));
        JsonArray memories = new JsonArray();
        for (MemoryRow row : memory) {
            memories.add(new JsonObject().put("checks", row.checks()).put("flags", row.tuned() ? "recommended" : "launcher")
                    .put("rssMedianKib", row.rssMedianKib()).put("rssMaxKib", row.rssMaxKib())
                    .put("samples", row.samples()).put("cpuCores", row.cpuCores()));
        }
        json.put("memory", memories);
        return json;
    }

    private Optional<ThroughputPhase.Row> throughputRow(ProbeProtocol protocol, String prober) {
        return throughput.stream().filter(row -> row.protocol() == protocol && row.prober().equals(prober)).findFirst();
    }

    private Optional<LatencyPhase.Row> latencyRow(LatencyPhase.Condition condition, ProbeProtocol protocol,
            String prober) {
        return latency.stream()
                .filter(row -> row.condition() == condition && row.protocol() == protocol && row.prober().equals(prober))
                .findFirst();
    }

    private String env() {
        StringBuilder text = new StringBuilder();
        settings.tunedEnv().forEach((key, value) -> text.append(text.length() == 0 ? "" : " ").append(key).append('=').append(value));
        return text.toString();
    }

    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    private static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    private static String number(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }

    private static String millis(long nanos, boolean signed) {
        if (!signed && nanos < 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, signed ? "%+.3f ms" : "%.3f ms", nanos / 1e6);
    }

    private static String percent(double share) {
        return Double.isFinite(share) ? String.format(Locale.ROOT, "%.0f %%", share * 100) : "n/a";
    }

    private static String mib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }
}
