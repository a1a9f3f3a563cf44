package dev.vigil.collector.sla;

import dev.vigil.collector.state.AppliedSample;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckListener;
import dev.vigil.collector.state.Transition;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * Availability, outage counts, MTTR and latency percentiles of every check over the trailing
 * {@link Window}s, fed by the {@link dev.vigil.collector.state.CheckBoard} and read at the time the
 * injected clock says. Not thread-safe: feed and read it on one thread.
 */
public final class SlaEngine implements CheckListener {
    private final InstantSource clock;
    private final Map<CheckKey, CheckFigures> checks = new HashMap<>();
    private final Histogram scratch = LatencyRing.newFlatHistogram();

    /** An engine with no checks, reading "now" from {@code clock}. */
    public SlaEngine(InstantSource clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void onSample(AppliedSample applied) {
        CheckFigures figures = checks.computeIfAbsent(applied.key(), key -> new CheckFigures());
        figures.record(applied.sample());
        if (applied.transition().isPresent()) {
            Transition transition = applied.transition().get();
            if (transition.wentDown()) {
                figures.outageStarted(transition.atEpochMillis());
            } else if (transition.recovered()) {
                figures.outageEnded(transition.atEpochMillis());
            }
        }
    }

    /** The figures of {@code key} over {@code window} ending now, if the check has reported. */
    public Optional<WindowFigures> figures(CheckKey key, Window window) {
        CheckFigures figures = checks.get(key);
        return figures == null ? Optional.empty() : Optional.of(figures.figures(window, clock.millis(), scratch));
    }

    /** The figures of {@code key} over every window, all ending at the same now; empty if unknown. */
    public Map<Window, WindowFigures> figures(CheckKey key) {
        CheckFigures figures = checks.get(key);
        Map<Window, WindowFigures> all = new EnumMap<>(Window.class);
        if (figures != null) {
            long now = clock.millis();
            for (Window window : Window.values()) {
                all.put(window, figures.figures(window, now, scratch));
            }
        }
        return all;
    }

    /** The outages of {@code key} still retained (ended ones up to 31 days old, the ongoing one). */
    public List<Outage> outages(CheckKey key) {
        CheckFigures figures = checks.get(key);
        return figures == null ? List.of() : figures.outages();
    }
}
