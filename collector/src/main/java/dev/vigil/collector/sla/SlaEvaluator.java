package dev.vigil.collector.sla;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Computes an SLA's figures for one service from its composed timeline: agreed time, downtime,
 * availability, objectives and error budgets, outages with MTTR, MTBF and MTTD, and burn rates. Pure:
 * every figure follows from the arguments and the given {@code now}, so the same samples always give
 * the same result.
 */
public final class SlaEvaluator {
    private static final BigDecimal ONE = BigDecimal.ONE;

    private final String service;
    private final SlaDefinition sla;
    private final ServiceCalendar calendar;
    private final List<DeclaredMaintenance> maintenance;
    private final StateTimeline timeline;
    private final LatencySource latency;
    private final List<BurnRateRule> burnRateRules;

    /**
     * An evaluator for one service and one SLA.
     *
     * @param service     the service's name; maintenance windows that do not apply to it are ignored
     * @param sla         the SLA
     * @param calendar    the calendar the SLA names
     * @param maintenance maintenance windows (those not applying to the service are ignored)
     * @param timeline    the service's composed timeline
     * @param latency     the service's latency samples; may be null when the SLA has no latency objective
     */
    public SlaEvaluator(String service, SlaDefinition sla, ServiceCalendar calendar,
                        List<? extends DeclaredMaintenance> maintenance, StateTimeline timeline, LatencySource latency) {
        this.service = Objects.requireNonNull(service, "service");
        this.sla = Objects.requireNonNull(sla, "sla");
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        this.timeline = Objects.requireNonNull(timeline, "timeline");
        if (!calendar.name().equals(sla.calendar())) {
            throw new IllegalArgumentException("SLA " + sla.name() + " names calendar " + sla.calendar()
                    + " but was given calendar " + calendar.name());
        }
        if (latency == null && sla.objectives().stream().anyMatch(o -> !(o instanceof AvailabilityObjective))) {
            throw new IllegalArgumentException("SLA " + sla.name() + " has latency objectives but no latency source");
        }
        this.maintenance = List.copyOf(maintenance.stream().filter(w -> w.appliesTo(service)).toList());
        this.latency = latency;
        this.burnRateRules = BurnRateRule.standardFor(sla.period().nominalLength());
    }

    /** The SLA's period holding {@code nowEpochMillis}, counted up to now. */
    public SlaResult evaluateCurrentPeriod(long nowEpochMillis) {
        return evaluate(sla.period().containing(nowEpochMillis), nowEpochMillis);
    }

    /** The given period, counted up to {@code nowEpochMillis} if it has not ended. */
    public SlaResult evaluate(PeriodRange period, long nowEpochMillis) {
        return evaluate(period.startMillis(), period.endMillis(), period.label(), nowEpochMillis);
    }

    /**
     * The range {@code [fromEpochMillis, toEpochMillis)}, labelled {@code custom}, counted up to
     * {@code nowEpochMillis} if it reaches beyond.
     */
    public SlaResult evaluate(long fromEpochMillis, long toEpochMillis, long nowEpochMillis) {
        return evaluate(fromEpochMillis, toEpochMillis, "custom", nowEpochMillis);
    }

    private SlaResult evaluate(long from, long to, String label, long now) {
        if (to <= from) {
            throw new IllegalArgumentException("range must end (" + to + ") after it starts (" + from + ")");
        }
        long end = Math.max(from, Math.min(to, now));
        Accounting accounting = account(from, end, now);
        List<MaintenanceExclusion> exclusions = new ArrayList<>();
        for (DeclaredMaintenance declared : maintenance) {
            IntervalSet excluded = declared.occurrences(from, end).intersect(accounting.serviceHours);
            if (!excluded.isEmpty()) {
                MaintenanceWindow window = declared.window();
                exclusions.add(new MaintenanceExclusion(window.id(), window.createdBy(), window.reason(),
                        window.createdAt(), excluded));
            }
        }
        long agreedMillis = accounting.agreed.totalMillis();
        long downtimeMillis = accounting.downtime.totalMillis();
        OptionalDouble availability = agreedMillis == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(1 - (double) downtimeMillis / agreedMillis);

        List<ObjectiveResult> objectives = new ArrayList<>();
        for (Objective objective : sla.objectives()) {
            objectives.add(attainment(objective, accounting));
        }

        List<SlaOutage> outages = new ArrayList<>();
        int started = 0;
        int ended = 0;
        long repairSum = 0;
        long detectSum = 0;
        IntervalSet downtimeSet = accounting.downtime;
        int cursor = 0;
        for (OutageRecord outage : timeline.outages(from, end, now)) {
            long outageEnd = outage.endOr(now);
            // outages are disjoint and in order, so one pass over the downtime serves them all
            while (cursor < downtimeSet.size() && downtimeSet.end(cursor) <= outage.startEpochMillis()) {
                cursor++;
            }
            long downtime = 0;
            for (int i = cursor; i < downtimeSet.size() && downtimeSet.start(i) < outageEnd; i++) {
                downtime += Math.min(outageEnd, downtimeSet.end(i)) - Math.max(outage.startEpochMillis(), downtimeSet.start(i));
            }
            outages.add(new SlaOutage(outage, outage.durationMillis(now), downtime));
            if (outage.startEpochMillis() >= from) {
                started++;
                detectSum += outage.timeToDetectMillis();
            }
            if (outage.ended() && outageEnd > from && outageEnd <= end) {
                ended++;
                repairSum += outage.durationMillis(now);
            }
        }
        OptionalDouble mttr = ended == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) repairSum / ended);
        OptionalDouble mtbf = started == 0 ? OptionalDouble.empty()
                : OptionalDouble.of((double) (agreedMillis - downtimeMillis) / started);
        OptionalDouble mttd = started == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) detectSum / started);

        return new SlaResult(service, sla.name(), label, from, to, end, accounting.serviceHours.totalMillis(),
                accounting.maintenance.totalMillis(), exclusions, accounting.noData.totalMillis(), sla.noData(),
                accounting.agreed, agreedMillis, downtimeMillis, availability, objectives, outages, started, ended,
                mttr, mtbf, mttd);
    }

    /**
     * The burn rates of {@code objective} at {@code nowEpochMillis} over the windows of the burn-rate
     * table scaled to the SLA's period, and which rules fire.
     */
    public BurnRates burnRates(Objective objective, long nowEpochMillis) {
        Objects.requireNonNull(objective, "objective");
        List<BurnRateAlert> alerts = new ArrayList<>();
        for (BurnRateRule rule : burnRateRules) {
            double longRate = burnRate(objective, rule.longWindow().toMillis(), nowEpochMillis);
            double shortRate = burnRate(objective, rule.shortWindow().toMillis(), nowEpochMillis);
            alerts.add(new BurnRateAlert(rule, longRate, shortRate,
                    longRate > rule.factor() && shortRate > rule.factor()));
        }
        return new BurnRates(objective, nowEpochMillis, alerts);
    }

    /** The burn rates of every objective of the SLA, in its order. */
    public List<BurnRates> burnRates(long nowEpochMillis) {
        return sla.objectives().stream().map(o -> burnRates(o, nowEpochMillis)).toList();
    }

    /** The burn-rate table in use: the standard one scaled to the SLA's period. */
    public List<BurnRateRule> burnRateRules() {
        return burnRateRules;
    }

    private double burnRate(Objective objective, long windowMillis, long now) {
        ObjectiveResult result = attainment(objective, account(now - windowMillis, now, now));
        if (result.total() == 0) {
            return 0;
        }
        BigDecimal badShare = BigDecimal.valueOf(result.bad()).divide(BigDecimal.valueOf(result.total()),
                MathContext.DECIMAL64);
        return badShare.divide(ONE.subtract(BigDecimal.valueOf(objective.target())), MathContext.DECIMAL64)
                .doubleValue();
    }

    /** The time sets of {@code [from, end)} as the SLA counts them. */
    private Accounting account(long from, long end, long now) {
        IntervalSet serviceHours = calendar.serviceTime(from, end);
        IntervalSet.Builder occurrences = IntervalSet.builder();
        for (DeclaredMaintenance declared : maintenance) {
            occurrences.addAll(declared.occurrences(from, end));
        }
        IntervalSet maintenanceTime = occurrences.build().intersect(serviceHours);
        IntervalSet scheduled = serviceHours.minus(maintenanceTime);
        TimelineSlice slice = timeline.slice(from, end, now);
        IntervalSet noData = slice.noData().intersect(scheduled);
        IntervalSet agreed;
        IntervalSet downtime;
        switch (sla.noData()) {
            case EXCLUDE -> {
                agreed = scheduled.minus(noData);
                downtime = slice.down().intersect(agreed);
            }
            case DOWN -> {
                agreed = scheduled;
                downtime = slice.down().union(slice.noData()).intersect(agreed);
            }
            case UP -> {
                agreed = scheduled;
                downtime = slice.down().intersect(agreed);
            }
            default -> throw new IllegalStateException("unknown policy " + sla.noData());
        }
        return new Accounting(serviceHours, maintenanceTime, scheduled, noData, agreed, downtime);
    }

    private record Accounting(IntervalSet serviceHours, IntervalSet maintenance, IntervalSet scheduled,
                              IntervalSet noData, IntervalSet agreed, IntervalSet downtime) {
    }

    private ObjectiveResult attainment(Objective objective, Accounting accounting) {
        if (objective instanceof AvailabilityObjective a) {
            long total = accounting.agreed.totalMillis();
            long bad = accounting.downtime.totalMillis();
            return result(a, total, bad, OptionalLong.empty(), ObjectiveResult.Unit.MILLISECONDS);
        }
        // Service hours minus maintenance, not the agreed time: silent time holds no samples anyway, and
        // under the exclude policy taking it out would drop the 15-minute bucket in which a check's
        // first sample (or its first after a silence) falls.
        LatencyView view = latency.view(accounting.scheduled);
        if (objective instanceof LatencyRatioObjective r) {
            long total = view.samples();
            return result(r, total, total - view.successesAtOrBelow(r.thresholdMicros()), OptionalLong.empty(),
                    ObjectiveResult.Unit.SAMPLES);
        }
        LatencyPercentileObjective p = (LatencyPercentileObjective) objective;
        long total = view.successes();
        return result(p, total, total - view.successesAtOrBelow(p.thresholdMicros()),
                view.percentileMicros(p.percentile()), ObjectiveResult.Unit.SAMPLES);
    }

    /** Whether {@code good >= target × total}, exactly on the decimal target. */
    private static boolean metByShare(long good, long total, double target) {
        return BigDecimal.valueOf(good).compareTo(BigDecimal.valueOf(target).multiply(BigDecimal.valueOf(total))) >= 0;
    }

    private static ObjectiveResult result(Objective objective, long total, long bad, OptionalLong percentileMicros,
                                          ObjectiveResult.Unit unit) {
        if (total == 0) {
            return new ObjectiveResult(objective, OptionalDouble.empty(), percentileMicros, true, 0, 0, unit, 1);
        }
        boolean met = metByShare(total - bad, total, objective.target());
        double measured = 1 - (double) bad / total;
        BigDecimal allowed = ONE.subtract(BigDecimal.valueOf(objective.target())).multiply(BigDecimal.valueOf(total));
        double remaining = ONE.subtract(BigDecimal.valueOf(bad).divide(allowed, MathContext.DECIMAL64))
                .setScale(12, RoundingMode.HALF_EVEN).doubleValue();
        return new ObjectiveResult(objective, OptionalDouble.of(measured), percentileMicros, met, bad, total, unit,
                remaining);
    }
}
