package dev.vigil.benchmarks;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The large catalogue and the month of samples the SLA-engine and report measurements share:
 * {@code N} services of one check each ({@code check-<i>} run by {@code agent}), spread over 100
 * customers, each with a monthly SLA (availability 99.9 %, latency ≤ 100 ms for 99 %, p95 ≤ 150 ms)
 * over business hours in Europe/Berlin; samples every interval, about one in 150 failing in runs that
 * make outages, latencies lognormal around 20 ms, the same for every run (seed 7).
 */
final class ScaleCatalogue {
    private ScaleCatalogue() {
    }

    /** The catalogue of {@code services} services. */
    static Catalogue of(int services) {
        StringBuilder yaml = new StringBuilder("""
                agents:
                  - {name: agent, token: t}
                calendars:
                  office:
                    zone: Europe/Berlin
                    hours: {mon-fri: "08:00-18:00"}
                slas:
                  gold:
                    period: month
                    calendar: office
                    objectives:
                      - availability: 99.9%
                      - latency: {threshold: 100ms, target: 99%}
                      - latency: {percentile: p95, threshold: 150ms}
                services:
                """);
        for (int c = 0; c < services; c++) {
            yaml.append("  - {name: service-").append(c).append(", customer: customer-").append(c % 100)
                    .append(", sla: gold, checks: [{check: check-").append(c).append(", agents: [agent]}]}\n");
        }
        return CollectorConfig.parse("collector.yaml", yaml.toString(), name -> null, Path.of("/tmp")).catalogue()
                .catalogue();
    }

    /**
     * Feeds {@code board} {@code days} of samples from {@code startMillis} for {@code services} checks,
     * moving {@code now[0]} (the engine's clock) along with the receive times.
     *
     * @return the number of samples applied
     */
    static long fill(CheckBoard board, long[] now, long startMillis, long days, int services, int intervalSeconds) {
        SplittableRandom random = new SplittableRandom(7);
        boolean[] down = new boolean[services];
        long intervalMillis = intervalSeconds * 1000L;
        long rounds = days * 86_400_000L / intervalMillis;
        long index = 0;
        for (long round = 0; round < rounds; round++) {
            long scheduled = startMillis + round * intervalMillis;
            now[0] = scheduled + 2_000;
            for (int c = 0; c < services; c++) {
                if (random.nextInt(3_000) == 0) {
                    down[c] = !down[c];
                }
                boolean success = down[c] ? random.nextInt(10) == 0 : random.nextInt(500) != 0;
                long latencyMicros = (long) (20_000 * Math.exp(0.5 * random.nextDouble() * random.nextDouble() * 4));
                Sample sample = new Sample("check-" + c, scheduled + c % 1_000, 0,
                        success ? Outcome.OK : Outcome.TIMEOUT, -1, -1, -1, -1, latencyMicros * 1_000,
                        success ? 200 : 0, success ? "" : "timed out");
                board.apply("agent", sample, now[0], index++);
            }
        }
        return index;
    }
}
