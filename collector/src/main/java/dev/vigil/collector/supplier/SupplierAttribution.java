package dev.vigil.collector.supplier;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.catalogue.Service;
import dev.vigil.collector.catalogue.ServiceSupplier;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.NoDataPolicy;
import dev.vigil.collector.sla.PeriodRange;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.sla.StateTimeline;
import dev.vigil.collector.sla.TimelineSlice;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes a month's {@link SupplierMonth} from the SLA engine: each provider service's SLA downtime split
 * between its suppliers and the provider, and each supplier's own availability. Reads the engine, so it
 * runs on the engine's thread (the event loop). Everything is counted against one reading of the clock,
 * so that with a clock that moves during the computation the parts still add up to the SLA's downtime.
 */
public final class SupplierAttribution {
    private static final Logger LOG = LoggerFactory.getLogger(SupplierAttribution.class);

    /** The months suppliers' own availability is measured over: calendar months in UTC. */
    public static final SlaPeriod MONTHS = new SlaPeriod.CalendarMonth(ZoneOffset.UTC);

    private SupplierAttribution() {
    }

    /** The figures of {@code month} over every service, counted up to the engine's now. */
    public static SupplierMonth of(SlaEngine engine, YearMonth month) {
        return of(engine, month, service -> true);
    }

    /**
     * The figures of {@code month}, counted up to the engine's now, with the shares of the services
     * {@code inScope} accepts only (a report on one customer); suppliers are all measured.
     */
    public static SupplierMonth of(SlaEngine engine, YearMonth month, Predicate<String> inScope) {
        long now = engine.clockMillis();
        Catalogue catalogue = engine.catalogue();
        List<ServiceShare> shares = new ArrayList<>();
        for (Service service : catalogue.services()) {
            if (inScope.test(service.name())) {
                share(engine, service, month, now).ifPresent(shares::add);
            }
        }
        PeriodRange utcMonth = MONTHS.containing(month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli());
        long from = utcMonth.startMillis();
        long end = Math.max(from, Math.min(utcMonth.endMillis(), now));
        List<SupplierStanding> standings = new ArrayList<>();
        for (ServiceSupplier supplier : catalogue.suppliers().values()) {
            TimelineSlice slice = slice(engine, supplier, from, end, now);
            long measured = (end - from) - slice.noData().totalMillis();
            long down = slice.down().totalMillis();
            OptionalDouble availability = measured == 0 ? OptionalDouble.empty()
                    : OptionalDouble.of(1 - (double) down / measured);
            Map<String, Long> attributed = new LinkedHashMap<>();
            for (ServiceShare share : shares) {
                if (share.attributed().containsKey(supplier.name())) {
                    attributed.put(share.service(), share.of(supplier.name()));
                }
            }
            standings.add(new SupplierStanding(supplier, measured, down, slice.down().size(), availability,
                    attributed));
        }
        return new SupplierMonth(utcMonth, now, standings, shares);
    }

    /** How {@code service}'s SLA downtime in {@code month} splits; empty without an SLA. */
    private static Optional<ServiceShare> share(SlaEngine engine, Service service, YearMonth month, long now) {
        String name = service.name();
        Optional<SlaDefinition> sla = engine.slaOf(name);
        Optional<StateTimeline> timeline = engine.serviceTimeline(name);
        if (sla.isEmpty() || timeline.isEmpty()) {
            return Optional.empty();
        }
        // The month in the SLA calendar's zone, as the monthly report and /api/v1/sla?period=YYYY-MM count it.
        ZoneId zone = engine.catalogue().calendarOf(sla.get()).zone();
        long firstDay = month.atDay(1).atStartOfDay(zone).toInstant().toEpochMilli();
        PeriodRange range = new SlaPeriod.CalendarMonth(zone).containing(firstDay);
        long from = range.startMillis();
        long to = Math.min(range.endMillis(), now);
        if (to <= from) {
            // The month has not begun at now: nothing counted yet.
            return Optional.of(share(service, sla.get().name(), range, 0, IntervalSet.EMPTY, List.of()));
        }
        // Explicit bounds up to this computation's now: the engine reads its clock again, and a month
        // counted up to that later instant would hold downtime the slices below do not see.
        Optional<SlaResult> result = engine.result(name, from, to);
        if (result.isEmpty()) {
            return Optional.empty();
        }
        SlaResult counted = result.get();
        // Never after `to` (<= now), so every slice below covers the very time the SLA counted.
        long end = counted.countedUntilMillis();
        IntervalSet downtime = IntervalSet.EMPTY;
        List<IntervalSet> supplierDown = new ArrayList<>();
        if (end > from) {
            // The same sets as the SLA evaluator's accounting: not-UP time as the no-data policy counts it,
            // within the agreed time.
            TimelineSlice slice = timeline.get().slice(from, end, now);
            IntervalSet bad = counted.noDataPolicy() == NoDataPolicy.DOWN ? slice.down().union(slice.noData())
                    : slice.down();
            downtime = bad.intersect(counted.agreed());
            for (String supplierName : service.suppliers()) {
                supplierDown.add(engine.catalogue().supplier(supplierName)
                        .map(supplier -> slice(engine, supplier, from, end, now).down()).orElse(IntervalSet.EMPTY));
            }
        }
        return Optional.of(share(service, counted.sla(), range, counted.downtimeMillis(), downtime, supplierDown));
    }

    /**
     * Splits {@code downtime} between the service's suppliers ({@code supplierDown}, in its list's order;
     * empty for none) and the provider. The set and the SLA's {@code downtimeMillis} come from the same
     * bounds and so agree; should they ever not, the figures are logged and the SLA's total wins, the
     * suppliers' parts cut to fit and the rest the provider's, rather than failing every reader of the month.
     */
    private static ServiceShare share(Service service, String sla, PeriodRange range, long downtimeMillis,
            IntervalSet downtime, List<IntervalSet> supplierDown) {
        String name = service.name();
        if (downtime.totalMillis() != downtimeMillis) {
            LOG.warn("service {} downtime {} ms differs from its SLA's {} ms; the difference goes to the provider",
                    name, downtime.totalMillis(), downtimeMillis);
        }
        Map<String, Long> attributed = new LinkedHashMap<>();
        IntervalSet remaining = downtime;
        long left = downtimeMillis;
        for (int i = 0; i < service.suppliers().size(); i++) {
            IntervalSet part = i < supplierDown.size() ? remaining.intersect(supplierDown.get(i)) : IntervalSet.EMPTY;
            // Earlier suppliers in the service's list take overlapping time first.
            long millis = Math.min(part.totalMillis(), left);
            attributed.put(service.suppliers().get(i), millis);
            left -= millis;
            remaining = remaining.minus(part);
        }
        attributed.put(ServiceSupplier.PROVIDER, left);
        return new ServiceShare(name, sla, range, downtimeMillis, attributed);
    }

    /**
     * The supplier's state within {@code [from, end)}: DOWN while any measuring service is DOWN, NO_DATA
     * while none is DOWN and any has no data.
     */
    private static TimelineSlice slice(SlaEngine engine, ServiceSupplier supplier, long from, long end, long now) {
        if (end <= from) {
            return new TimelineSlice(IntervalSet.EMPTY, IntervalSet.EMPTY);
        }
        IntervalSet down = IntervalSet.EMPTY;
        IntervalSet noData = IntervalSet.EMPTY;
        for (String measuring : supplier.measuredBy()) {
            Optional<StateTimeline> timeline = engine.serviceTimeline(measuring);
            if (timeline.isEmpty()) {
                noData = noData.union(IntervalSet.of(from, end));
                continue;
            }
            TimelineSlice slice = timeline.get().slice(from, end, now);
            down = down.union(slice.down());
            noData = noData.union(slice.noData());
        }
        return new TimelineSlice(down, noData.minus(down));
    }
}
