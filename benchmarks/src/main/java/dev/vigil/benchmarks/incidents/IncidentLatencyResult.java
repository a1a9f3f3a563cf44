package dev.vigil.benchmarks.incidents;

import static dev.vigil.benchmarks.incidents.LatencyFigures.millis;
import static dev.vigil.benchmarks.incidents.LatencyFigures.ratio;

import java.util.Locale;
import java.util.Optional;

/**
 * The figures of one run.
 *
 * @param settings        what was run
 * @param vigil           confirming sample's batch posted → {@code incident.opened} webhook arrived
 * @param confirmingAck   the same batch posted → the collector's ack read (ingest alone, for comparison)
 * @param healthyBatchAck a background batch without a failed sample posted → its ack read
 * @param alertmanager    alert posted to Alertmanager → its webhook arrived; empty when not measured
 * @param floor           bare POST to the receiver → arrival
 * @param backgroundRate  samples per second the collector acknowledged during the measured rounds
 * @param keyMismatches   openings whose key did not name the first failed sample's time as the outage start
 * @param measuredSeconds how long the measured rounds took
 * @param alertmanagerAbsence why Alertmanager was not measured, empty when it was
 */
record IncidentLatencyResult(IncidentLatencySettings settings, LatencyFigures vigil, LatencyFigures confirmingAck,
        LatencyFigures healthyBatchAck,
        Optional<LatencyFigures> alertmanager, LatencyFigures floor, double backgroundRate, int keyMismatches,
        double measuredSeconds, String alertmanagerAbsence) {

    /** The goal of issue 6: p99 at most 500 ms beyond the policy minimum (the confirming sample). */
    static final long GOAL_P99_NANOS = 500_000_000L;

    /** Whether Vigil's p99 meets {@link #GOAL_P99_NANOS} with nothing lost. */
    boolean goalMet() {
        return vigil.count() > 0 && vigil.lost() == 0 && vigil.p99() <= GOAL_P99_NANOS;
    }

    /** The result as a markdown section. */
    String markdown() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%d measured rounds after %d of warm-up, a round every %d ms, "
                + "%d victim services; background %,.0f samples/s acknowledged (asked %,d/s) in batches every %d ms; "
                + "%.0f s measured.%n%n", settings.measurements(), settings.warmup(), settings.spacing().toMillis(),
                settings.victims(), backgroundRate, settings.backgroundRate(), settings.tick().toMillis(),
                measuredSeconds));
        out.append("| what | from → to | n | lost | p50 | p90 | p99 | max |\n");
        out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        row(out, "Vigil", "confirming sample's batch posted → `incident.opened` webhook arrived", vigil);
        row(out, "Vigil ingest alone", "the same batch posted → its ack read", confirmingAck);
        row(out, "Vigil ingest, healthy batch", "a background batch with no failure posted → its ack read",
                healthyBatchAck);
        alertmanager.ifPresent(figures -> row(out, "Alertmanager " + "(group_wait 0s)",
                "alert posted to /api/v2/alerts → webhook arrived", figures));
        row(out, "floor", "bare POST → arrival at the receiver", floor);
        out.append('\n');
        if (alertmanager.isPresent()) {
            LatencyFigures peer = alertmanager.get();
            out.append("Vigil ÷ Alertmanager: p50 ").append(ratio(vigil.p50(), peer.p50())).append(", p90 ")
                    .append(ratio(vigil.p90(), peer.p90())).append(", p99 ").append(ratio(vigil.p99(), peer.p99()))
                    .append(".\n");
        } else {
            out.append("Alertmanager not measured: ").append(alertmanagerAbsence).append(".\n");
        }
        out.append("Vigil ÷ floor: p50 ").append(ratio(vigil.p50(), floor.p50())).append(", p99 ")
                .append(ratio(vigil.p99(), floor.p99())).append(".\n");
        if (keyMismatches > 0) {
            out.append(keyMismatches).append(" openings did not start at the first failed sample.\n");
        }
        out.append("Goal, p99 ≤ 500 ms beyond the confirming sample: ").append(goalMet() ? "**met**" : "**not met**")
                .append(" (p99 ").append(millis(vigil.p99())).append(", ").append(vigil.lost()).append(" lost).\n");
        return out.toString();
    }

    private static void row(StringBuilder out, String what, String span, LatencyFigures f) {
        out.append("| ").append(what).append(" | ").append(span).append(" | ").append(f.count()).append(" | ")
                .append(f.lost()).append(" | ").append(millis(f.p50())).append(" | ").append(millis(f.p90()))
                .append(" | ").append(millis(f.p99())).append(" | ").append(millis(f.max())).append(" |\n");
    }
}
