package dev.vigil.collector.problem;

import dev.vigil.collector.api.UtcMonth;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.YearMonth;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The problem metrics: {@code vigil_problems_open} (per service, zero for a catalogue service without an open
 * problem) and {@code vigil_problem_repeat_rate_ratio} (per service, this month in UTC, as {@code GET
 * /api/v1/problems/repeat-rate}). {@link #refresh} computes them with the collector's periodic refresh of
 * figures; a scrape only reads what it left, so a scrape costs the same however many incidents there are.
 * A service without outages this month has no repeat-rate series rather than a NaN; problems of check
 * locations in no service are not in these series (their subject is not a service).
 */
public final class ProblemFigures {
    private final ProblemBook book;
    private final Supplier<? extends Collection<String>> services;
    private volatile Figures current = new Figures(Map.of(), Map.of());

    /**
     * Figures over {@code book}.
     *
     * @param services the catalogue's service names now; called on {@link #refresh}'s thread only
     */
    public ProblemFigures(ProblemBook book, Supplier<? extends Collection<String>> services) {
        this.book = Objects.requireNonNull(book, "book");
        this.services = Objects.requireNonNull(services, "services");
    }

    /** Recomputes the open problems and the repeat rates of the month (UTC) holding {@code nowEpochMillis}. */
    public void refresh(long nowEpochMillis) {
        Map<String, Integer> open = new TreeMap<>();
        services.get().forEach(service -> open.put(service, 0));
        for (Problem problem : book.problems()) {
            if (problem.open()) {
                problem.service().ifPresent(service -> open.merge(service, 1, Integer::sum));
            }
        }
        YearMonth month = UtcMonth.parse("current", nowEpochMillis);
        long from = UtcMonth.startMillis(month);
        long to = UtcMonth.startMillis(month.plusMonths(1));
        Map<String, Double> rates = new TreeMap<>();
        book.repeatRates(from, to).forEach((subject, rate) -> {
            // Subjects that are services are plain names; check locations in no service are check/<agent>/<check>.
            if (!subject.startsWith("check/")) {
                rates.put(subject, rate.ratio());
            }
        });
        current = new Figures(open, rates);
    }

    /** Registers the two gauges in {@code registry}. */
    public void register(PrometheusRegistry registry) {
        GaugeWithCallback.builder().name("vigil_problems_open")
                .help("Open problems (recurring outages not yet closed with a root cause), per service")
                .labelNames("service")
                .callback(callback -> current.open.forEach((service, count) -> callback.call(count, service)))
                .register(registry);
        GaugeWithCallback.builder().name("vigil_problem_repeat_rate_ratio")
                .help("Share of this month's (UTC) outages that belong to a problem, per service with outages")
                .labelNames("service")
                .callback(callback -> current.repeatRates.forEach((service, ratio) -> callback.call(ratio, service)))
                .register(registry);
    }

    private record Figures(Map<String, Integer> open, Map<String, Double> repeatRates) {
    }
}
