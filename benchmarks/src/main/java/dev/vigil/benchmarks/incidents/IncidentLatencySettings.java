package dev.vigil.benchmarks.incidents;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one run of the incident-open benchmark does.
 *
 * @param measurements   measured rounds, &gt; 0; each round measures Vigil, Alertmanager and the floor once
 * @param warmup         rounds before them that are not counted (JIT, connections), &ge; 0
 * @param backgroundRate healthy background samples per second the collector ingests throughout, &gt; 0
 * @param spacing        time from one round's start to the next one's
 * @param victims        victim services used in turn, so a victim has long recovered before it fails again
 * @param tick           how often the feeder ships a batch
 * @param timeout        how long a round waits for each webhook before counting it lost
 * @param alertmanager   whether to measure the Alertmanager baseline (needs {@code prometheus-alertmanager})
 */
record IncidentLatencySettings(int measurements, int warmup, int backgroundRate, Duration spacing, int victims,
        Duration tick, Duration timeout, boolean alertmanager) {

    /** The full run: 200 rounds after 20 of warm-up, 1,000 background samples a second, a round every 1.5 s. */
    static final IncidentLatencySettings DEFAULT = new IncidentLatencySettings(200, 20, 1_000, Duration.ofMillis(1_500),
            10, Duration.ofMillis(50), Duration.ofSeconds(10), true);

    /** Validates. */
    IncidentLatencySettings {
        if (measurements <= 0 || warmup < 0 || backgroundRate <= 0 || victims <= 0) {
            throw new IllegalArgumentException("measurements, background rate and victims must be > 0 and warm-up"
                    + " >= 0 (were " + measurements + ", " + backgroundRate + ", " + victims + ", " + warmup + ")");
        }
        if (spacing.toMillis() <= 0 || tick.toMillis() <= 0 || timeout.toMillis() <= 0) {
            throw new IllegalArgumentException("spacing, tick and timeout must be > 0 (were " + spacing + ", " + tick
                    + ", " + timeout + ")");
        }
        // A victim fails twice a second apart and recovers a second later; it must not fail again before.
        if (spacing.multipliedBy(victims).compareTo(Duration.ofSeconds(5)) < 0) {
            throw new IllegalArgumentException("victims × spacing must be at least 5 s, so a victim has recovered "
                    + "before its next turn (were " + victims + " × " + spacing + ")");
        }
    }

    /**
     * Parses {@code --measurements N}, {@code --warmup N}, {@code --rate N} (background samples/s),
     * {@code --spacing-ms N}, {@code --victims N}, {@code --tick-ms N}, {@code --timeout-ms N} and
     * {@code --no-alertmanager} over the defaults.
     */
    static IncidentLatencySettings parse(String... args) {
        IncidentLatencySettings s = DEFAULT;
        List<String> rest = new ArrayList<>(List.of(args));
        while (!rest.isEmpty()) {
            String flag = rest.remove(0);
            if (flag.equals("--no-alertmanager")) {
                s = new IncidentLatencySettings(s.measurements, s.warmup, s.backgroundRate, s.spacing, s.victims, s.tick,
                        s.timeout, false);
                continue;
            }
            if (rest.isEmpty()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            int value;
            try {
                value = Integer.parseInt(rest.remove(0));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a whole number: " + e.getMessage(), e);
            }
            s = switch (flag) {
                case "--measurements" -> new IncidentLatencySettings(value, s.warmup, s.backgroundRate, s.spacing,
                        s.victims, s.tick, s.timeout, s.alertmanager);
                case "--warmup" -> new IncidentLatencySettings(s.measurements, value, s.backgroundRate, s.spacing,
                        s.victims, s.tick, s.timeout, s.alertmanager);
                case "--rate" -> new IncidentLatencySettings(s.measurements, s.warmup, value, s.spacing, s.victims,
                        s.tick, s.timeout, s.alertmanager);
                case "--spacing-ms" -> new IncidentLatencySettings(s.measurements, s.warmup, s.backgroundRate,
                        Duration.ofMillis(value), s.victims, s.tick, s.timeout, s.alertmanager);
                case "--victims" -> new IncidentLatencySettings(s.measurements, s.warmup, s.backgroundRate, s.spacing,
                        value, s.tick, s.timeout, s.alertmanager);
                case "--tick-ms" -> new IncidentLatencySettings(s.measurements, s.warmup, s.backgroundRate, s.spacing,
                        s.victims, Duration.ofMillis(value), s.timeout, s.alertmanager);
                case "--timeout-ms" -> new IncidentLatencySettings(s.measurements, s.warmup, s.backgroundRate,
                        s.spacing, s.victims, s.tick, Duration.ofMillis(value), s.alertmanager);
                default -> throw new IllegalArgumentException("unknown option " + flag + "; known: --measurements, "
                        + "--warmup, --rate, --spacing-ms, --victims, --tick-ms, --timeout-ms, --no-alertmanager");
            };
        }
        return s;
    }
}
