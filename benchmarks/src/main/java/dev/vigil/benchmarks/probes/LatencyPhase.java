package dev.vigil.benchmarks.probes;

import dev.vigil.agent.schedule.CheckSchedule;
import dev.vigil.protocol.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Goal 2: how far the latency a prober reports is from the reference prober's, idle and with CPU
 * burners on every core. All probers take turns in a fixed round ({@code latencyPeriod}, 100 ms): the
 * agent's TCP check is scheduled at the round's start and its HTTP check half-way (their ids are
 * chosen for those offsets), and in between the benchmark asks the reference prober, blackbox_exporter
 * and, when available, Vigil's {@code /probe} endpoint, each at its own eighth of the round, so no
 * two probes overlap and every prober meets the same machine within milliseconds of the others.
 *
 * <p>Reported latency: blackbox_exporter's and the endpoint's {@code probe_duration_seconds}; the
 * agent's {@code totalNanos} of each sample, read from its journal. The agent's TCP
 * {@code connectNanos} is shown beside it to tell the connect itself from the work around it.
 *
 * <p>The agent runs these two checks only, as an agent with few checks does, so its probe path is
 * as warm as ten runs a second make it, not as warm as the throughput part's thousand.
 */
final class LatencyPhase {
    private static final Logger LOG = LoggerFactory.getLogger(LatencyPhase.class);
    private static final String AGENT = "latency";
    /** The reference prober's label. */
    static final String REFERENCE = "reference (C)";
    /** The agent's TCP connect phase ({@code connectNanos}), beside its total: where its error arises. */
    static final String VIGIL_CONNECT_PHASE = "vigil agent, connectNanos (not its report)";

    private final BenchSettings settings;
    private final NginxTargets targets;
    private final ProbeDriver driver;
    private final VigilCollector collector;
    private final Children children;

    LatencyPhase(BenchSettings settings, NginxTargets targets, ProbeDriver driver, VigilCollector collector,
            Children children) {
        this.settings = settings;
        this.targets = targets;
        this.driver = driver;
        this.collector = collector;
        this.children = children;
    }

    /** Whether the machine was left alone or loaded with CPU burners. */
    enum Condition { IDLE, LOADED }

    /**
     * What one prober reported for one protocol under one condition, beside the reference.
     *
     * @param condition idle or loaded
     * @param protocol  TCP or HTTP
     * @param prober    who reported
     * @param reported  the reported latencies
     * @param reference the reference prober's latencies of the same rounds
     * @param failures  probes that failed (not in {@code reported})
     */
    record Row(Condition condition, ProbeProtocol protocol, String prober, Distribution reported,
            Distribution reference, int failures) {

        long errorP50() {
            return reported.p50() - reference.p50();
        }

        long errorP99() {
            return reported.p99() - reference.p99();
        }
    }

    static List<String> agentNames() {
        return List.of(AGENT);
    }

    List<Row> run(ProbeEndpoint blackbox, Optional<ProbeEndpoint> vigilEndpoint) {
        BenchSettings.Plan plan = settings.plan();
        long period = plan.latencyPeriod().toMillis();
        Map<ProbeProtocol, String> checkIds = new EnumMap<>(ProbeProtocol.class);
        checkIds.put(ProbeProtocol.TCP, checkIdAtOffset("latency-tcp-", period, 0));
        checkIds.put(ProbeProtocol.HTTP, checkIdAtOffset("latency-http-", period, period / 2));
        List<VigilAgent.Check> checks = new ArrayList<>();
        checkIds.forEach((protocol, id) -> checks.add(
                new VigilAgent.Check(id, protocol, plan.latencyPeriod(), plan.latencyPeriod().multipliedBy(9).dividedBy(10))));
        LOG.info("latency: agent with a TCP and an HTTP check every {} ms", period);
        VigilAgent agent = VigilAgent.start(settings, AGENT, checks, targets, collector, true, children);
        ReferenceProber reference = ReferenceProber.start(settings, targets, children);

        Map<String, ProbeEndpoint> endpoints = new LinkedHashMap<>();
        endpoints.put(ThroughputPhase.BLACKBOX, blackbox);
        vigilEndpoint.ifPresent(endpoint -> endpoints.put(ThroughputPhase.VIGIL_ENDPOINT, endpoint));

        Map<Condition, long[]> windows = new EnumMap<>(Condition.class);
        Map<Condition, Map<String, Map<ProbeProtocol, Series>>> series = new EnumMap<>(Condition.class);
        for (Condition condition : Condition.values()) {
            Duration length = plan.latencyPeriod().multipliedBy(plan.latencySamples() + plan.latencyWarmup() + 20);
            try (CpuBurners burners = condition == Condition.LOADED
                    ? CpuBurners.start(settings, plan.burners(), length, children) : null) {
                LOG.info("latency {}: {} rounds{}", condition.name().toLowerCase(Locale.ROOT),
                        plan.latencySamples(), burners == null ? "" : " with " + plan.burners() + " CPU burners");
                rounds(plan.latencyWarmup(), period, reference, endpoints, new LinkedHashMap<>());
                Map<String, Map<ProbeProtocol, Series>> measured = new LinkedHashMap<>();
                long start = System.currentTimeMillis();
                rounds(plan.latencySamples(), period, reference, endpoints, measured);
                windows.put(condition, new long[] {start, System.currentTimeMillis()});
                series.put(condition, measured);
            }
        }
        agent.stop(children);
        for (Sample sample : agent.samples()) {
            for (Condition condition : Condition.values()) {
                long[] window = windows.get(condition);
                if (sample.scheduledEpochMillis() >= window[0] && sample.scheduledEpochMillis() < window[1]) {
                    ProbeProtocol protocol = sample.checkId().equals(checkIds.get(ProbeProtocol.TCP))
                            ? ProbeProtocol.TCP : ProbeProtocol.HTTP;
                    Series agentSeries = series.get(condition)
                            .computeIfAbsent(ThroughputPhase.VIGIL, k -> new EnumMap<>(ProbeProtocol.class))
                            .computeIfAbsent(protocol, k -> new Series());
                    agentSeries.add(sample.success() ? OptionalLong.of(sample.totalNanos()) : OptionalLong.empty());
                    if (protocol == ProbeProtocol.TCP) {
                        record(series.get(condition), VIGIL_CONNECT_PHASE, protocol,
                                sample.success() ? OptionalLong.of(sample.connectNanos()) : OptionalLong.empty());
                    }
                }
            }
        }
        List<Row> rows = new ArrayList<>();
        for (Condition condition : Condition.values()) {
            Map<String, Map<ProbeProtocol, Series>> measured = series.get(condition);
            for (ProbeProtocol protocol : List.of(ProbeProtocol.TCP, ProbeProtocol.HTTP)) {
                Series ref = measured.get(REFERENCE).get(protocol);
                for (Map.Entry<String, Map<ProbeProtocol, Series>> prober : measured.entrySet()) {
                    if (!prober.getValue().containsKey(protocol)) {
                        continue;
                    }
                    Series reported = prober.getValue().get(protocol);
                    rows.add(new Row(condition, protocol, prober.getKey(), Distribution.of(reported.nanos),
                            Distribution.of(ref.nanos), reported.failures));
                }
            }
        }
        return rows;
    }

    // Slots in a round: 0 the agent's TCP check, 1 reference TCP, 2 blackbox TCP, 3 endpoint TCP,
    // 4 the agent's HTTP check, 5 reference HTTP, 6 blackbox HTTP, 7 endpoint HTTP.
    private void rounds(int count, long period, ReferenceProber reference, Map<String, ProbeEndpoint> endpoints,
            Map<String, Map<ProbeProtocol, Series>> into) {
        long eighth = period / 8;
        long roundStart = (System.currentTimeMillis() / period + 1) * period;
        for (int i = 0; i < count; i++, roundStart += period) {
            for (ProbeProtocol protocol : List.of(ProbeProtocol.TCP, ProbeProtocol.HTTP)) {
                long base = roundStart + (protocol == ProbeProtocol.TCP ? 0 : period / 2);
                sleepUntil(base + eighth);
                record(into, REFERENCE, protocol, reference.probe(protocol));
                int slot = 2;
                for (Map.Entry<String, ProbeEndpoint> endpoint : endpoints.entrySet()) {
                    sleepUntil(base + slot++ * eighth);
                    ProbeDriver.Reply reply = driver.once(endpoint.getValue().probeUri(protocol, targets));
                    record(into, endpoint.getKey(), protocol, reply.success() && !Double.isNaN(reply.durationSeconds())
                            ? OptionalLong.of(Math.round(reply.durationSeconds() * 1e9)) : OptionalLong.empty());
                }
            }
        }
    }

    private static void record(Map<String, Map<ProbeProtocol, Series>> into, String prober, ProbeProtocol protocol,
            OptionalLong nanos) {
        into.computeIfAbsent(prober, k -> new EnumMap<>(ProbeProtocol.class))
                .computeIfAbsent(protocol, k -> new Series())
                .add(nanos);
    }

    private static void sleepUntil(long epochMillis) {
        long remaining;
        while ((remaining = epochMillis - System.currentTimeMillis()) > 0) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(remaining));
        }
    }

    /** The first id {@code prefix<n>} whose schedule offset within {@code periodMillis} is {@code offsetMillis}. */
    static String checkIdAtOffset(String prefix, long periodMillis, long offsetMillis) {
        for (int n = 0; n < 1_000_000; n++) {
            String id = prefix + n;
            if (new CheckSchedule(id, periodMillis).offsetMillis() == offsetMillis) {
                return id;
            }
        }
        throw new IllegalStateException("no id " + prefix + "<n> has offset " + offsetMillis + " ms");
    }

    /** Latencies of one prober and protocol, and how many of its probes failed. */
    private static final class Series {
        private final List<Long> nanos = new ArrayList<>();
        private int failures;

        void add(OptionalLong value) {
            if (value.isPresent()) {
                nanos.add(value.getAsLong());
            } else {
                failures++;
            }
        }
    }
}
