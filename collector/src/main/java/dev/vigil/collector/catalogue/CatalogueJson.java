package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.AvailabilityObjective;
import dev.vigil.collector.sla.DailyHours;
import dev.vigil.collector.sla.LatencyPercentileObjective;
import dev.vigil.collector.sla.LatencyRatioObjective;
import dev.vigil.collector.sla.MaintenanceSchedule;
import dev.vigil.collector.sla.MaintenanceWindow;
import dev.vigil.collector.sla.Objective;
import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import dev.vigil.config.DurationText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Catalogue items as JSON with the fields of {@code collector.yaml}, so that what the API shows can be
 * sent back and what the overlay file holds is read by the YAML readers. Each method returns a fresh
 * object the caller may add fields to (the API adds {@code source}, live status and the like).
 */
public final class CatalogueJson {
    private CatalogueJson() {
    }

    /** {@code service}: name, owner, customer, tier, description, depends_on, sla, checks, suppliers. */
    public static JsonObject service(Service service) {
        JsonArray checks = new JsonArray();
        for (ServiceCheck check : service.checks()) {
            checks.add(new JsonObject()
                    .put("check", check.check())
                    .put("agents", new JsonArray(check.agents()))
                    .put("quorum", check.quorum())
                    .put("no_data_after", check.noDataAfter().map(DurationText::format).orElse(null)));
        }
        return new JsonObject()
                .put("name", service.name())
                .put("owner", service.owner().orElse(null))
                .put("customer", service.customer().orElse(null))
                .put("tier", service.tier().orElse(null))
                .put("description", service.description().orElse(null))
                .put("depends_on", new JsonArray(service.dependsOn()))
                .put("sla", service.sla().orElse(null))
                .put("checks", checks)
                .put("suppliers", new JsonArray(service.suppliers()));
    }

    /** {@code supplier}: name, kind, contact, measured_by, sla (its availability target, or null). */
    public static JsonObject supplier(ServiceSupplier supplier) {
        return new JsonObject()
                .put("name", supplier.name())
                .put("kind", supplier.kind())
                .put("contact", supplier.contact().orElse(null))
                .put("measured_by", new JsonArray(supplier.measuredBy()))
                .put("sla", supplier.availabilityTarget().isPresent()
                        ? new JsonObject().put("availability", supplier.availabilityTarget().getAsDouble()) : null);
    }

    /** {@code sla}: name, period, calendar, no_data, objectives. */
    public static JsonObject sla(SlaDefinition sla) {
        JsonArray objectives = new JsonArray();
        for (Objective objective : sla.objectives()) {
            objectives.add(objective(objective));
        }
        return new JsonObject()
                .put("name", sla.name())
                .put("period", period(sla.period()))
                .put("calendar", sla.calendar())
                .put("no_data", sla.noData().name().toLowerCase(Locale.ROOT))
                .put("objectives", objectives);
    }

    /**
     * {@code calendar}: name, zone, hours (left out when every day is all day), holidays. Days with the
     * same spans are not grouped: each day is its own key.
     */
    public static JsonObject calendar(ServiceCalendar calendar) {
        JsonObject json = new JsonObject().put("name", calendar.name()).put("zone", calendar.zone().getId());
        boolean allDay = true;
        JsonObject hours = new JsonObject();
        for (DayOfWeek day : DayOfWeek.values()) {
            List<DailyHours> spans = calendar.weeklyHours().getOrDefault(day, List.of());
            allDay &= spans.contains(DailyHours.ALL_DAY);
            if (!spans.isEmpty()) {
                JsonArray texts = new JsonArray();
                spans.forEach(span -> texts.add(WallClock.format(span.startMinute()) + "-"
                        + WallClock.format(span.endMinute())));
                hours.put(WallClock.format(day), texts);
            }
        }
        if (!allDay) {
            json.put("hours", hours);
        }
        JsonArray holidays = new JsonArray();
        calendar.holidays().stream().sorted().forEach(date -> holidays.add(date.toString()));
        return json.put("holidays", holidays);
    }

    /**
     * {@code entry}: id, services, start and end or every, created_by, reason, created_at, and ended_at and
     * ended_by once ended.
     */
    public static JsonObject maintenance(MaintenanceEntry entry) {
        MaintenanceWindow window = entry.window();
        JsonObject json = new JsonObject()
                .put("id", window.id())
                .put("services", new JsonArray(window.services().stream().sorted().toList()));
        if (window.schedule() instanceof MaintenanceSchedule.OneOff oneOff) {
            json.put("start", oneOff.start().toString()).put("end", oneOff.end().toString());
        } else {
            json.put("every", every(window.schedule()));
        }
        return json
                .put("created_by", window.createdBy())
                .put("reason", window.reason())
                .put("created_at", window.createdAt().toString())
                .put("ended_at", entry.endedAt().map(Instant::toString).orElse(null))
                .put("ended_by", entry.endedBy().orElse(null));
    }

    private static JsonObject every(MaintenanceSchedule schedule) {
        JsonObject every = new JsonObject();
        if (schedule instanceof MaintenanceSchedule.Weekly weekly) {
            JsonArray days = new JsonArray();
            weekly.days().stream().sorted().forEach(day -> days.add(WallClock.format(day)));
            return every.put("weekly", days).put("at", WallClock.format(weekly.start().toSecondOfDay() / 60))
                    .put("for", DurationText.format(weekly.duration())).put("zone", weekly.zone().getId());
        }
        MaintenanceSchedule.Monthly monthly = (MaintenanceSchedule.Monthly) schedule;
        return every.put("monthly", monthly.dayOfMonth())
                .put("at", WallClock.format(monthly.start().toSecondOfDay() / 60))
                .put("for", DurationText.format(monthly.duration())).put("zone", monthly.zone().getId());
    }

    private static JsonObject objective(Objective objective) {
        if (objective instanceof AvailabilityObjective availability) {
            return new JsonObject().put("availability", availability.target());
        }
        if (objective instanceof LatencyRatioObjective ratio) {
            return new JsonObject().put("latency", new JsonObject()
                    .put("threshold", threshold(ratio.thresholdMicros()))
                    .put("target", ratio.target()));
        }
        LatencyPercentileObjective percentile = (LatencyPercentileObjective) objective;
        return new JsonObject().put("latency", new JsonObject()
                .put("percentile", "p" + BigDecimal.valueOf(percentile.percentile()).stripTrailingZeros()
                        .toPlainString())
                .put("threshold", threshold(percentile.thresholdMicros())));
    }

    private static String period(SlaPeriod period) {
        if (period instanceof SlaPeriod.CalendarMonth) {
            return "month";
        }
        if (period instanceof SlaPeriod.CalendarWeek) {
            return "week";
        }
        if (period instanceof SlaPeriod.CalendarQuarter) {
            return "quarter";
        }
        return "rolling " + ((SlaPeriod.RollingDays) period).days() + "d";
    }

    // DurationText drops sub-millisecond parts, which a latency threshold may have.
    private static String threshold(long micros) {
        return micros % 1_000 == 0 ? DurationText.format(Duration.ofMillis(micros / 1_000)) : micros + "us";
    }
}
