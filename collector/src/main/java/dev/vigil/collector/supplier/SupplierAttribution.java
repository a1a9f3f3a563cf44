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

/**
 * Computes a month's {@link SupplierMonth} from the SLA engine: each provider service's SLA downtime split
 * between its suppliers and the provider, and each supplier's own availability. Reads the engine, so it
 * runs on the engine's thread (the event loop).
 */
public final class SupplierAttribution {
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
        Optional<SlaResult> result = engine.result(name, range);
        if (result.isEmpty()) {
            return Optional.empty();
        }
        SlaResult counted = result.get();
        long from = range.startMillis();
        long end = counted.countedUntilMillis();
        IntervalSet downtime = IntervalSet.EMPTY;
        if (end > from) {
            // The same sets as the SLA evaluator's accounting: not-UP time as the no-data policy counts it,
            // within the agreed time.
            TimelineSlice slice = timeline.get().slice(from, end, now);
            IntervalSet bad = counted.noDataPolicy() == NoDataPolicy.DOWN ? slice.down().union(slice.noData())
                    : slice.down();
            downtime = bad.intersect(counted.agreed());
        }
        if (downtime.totalMillis() != counted.downtimeMillis()) {
            throw new IllegalStateException("service " + name + " downtime " + downtime.totalMillis()
                    + " ms differs from its SLA's " + counted.downtimeMillis() + " ms");
        }
        Map<String, Long> attributed = new LinkedHashMap<>();
        IntervalSet remaining = downtime;
        for (String supplierName : service.suppliers()) {
            Optional<ServiceSupplier> supplier = engine.catalogue().supplier(supplierName);
            IntervalSet part = IntervalSet.EMPTY;
            if (supplier.isPresent() && end > from) {
                // Earlier suppliers in the service's list take overlapping time first.
                part = remaining.intersect(slice(engine, supplier.get(), from, end, now).down());
            }
            attributed.put(supplierName, part.totalMillis());
            remaining = remaining.minus(part);
        }
        attributed.put(ServiceSupplier.PROVIDER, remaining.totalMillis());
        return Optional.of(new ServiceShare(name, counted.sla(), range, counted.downtimeMillis(), attributed));
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
