package dev.vigil.collector.catalogue;

import dev.vigil.collector.sla.MaintenanceSchedule;
import dev.vigil.collector.sla.MaintenanceWindow;
import dev.vigil.config.ConfigNode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Reads a maintenance window: one-off ({@code start} and {@code end} or {@code for}, as instants or as
 * local date-times with {@code zone}) or recurring ({@code every: {weekly: [sun] | monthly: 1, at: "02:00",
 * for: 2h, zone: Europe/Berlin}}), with {@code created_by} and {@code reason} for the audit trail.
 */
final class MaintenanceReader {
    private static final Set<String> FIELDS = Set.of("id", "services", "start", "end", "for", "zone", "every",
            "created_by", "reason");

    private MaintenanceReader() {
    }

    /**
     * Reads the window at {@code node}.
     *
     * @param newId     the id of a window posted without one
     * @param createdAt the creation time of a posted window; files may say {@code created_at} and default to
     *                  the epoch (unknown), the overlay always says it
     */
    static MaintenanceEntry read(ConfigNode node, Origin origin, References references, Supplier<String> newId,
            Instant createdAt) {
        Set<String> known = new HashSet<>(FIELDS);
        if (origin != Origin.REQUEST) {
            known.add("created_at");
        }
        if (origin == Origin.OVERLAY) {
            known.add("ended_at");
            known.add("ended_by");
        }
        node.rejectUnknown(known);
        String id = origin == Origin.REQUEST && !node.has("id") ? newId.get() : ItemNames.field(node, "id");
        Set<String> services = new LinkedHashSet<>();
        Map<String, String> paths = new HashMap<>();
        for (ConfigNode item : node.list("services")) {
            String service = item.text().trim();
            // The overlay keeps windows of services deleted since: they are history, and apply to nothing.
            if (origin != Origin.OVERLAY && !references.services().contains(service)) {
                throw item.error("names no service '" + service + "' (defined: "
                        + References.list(references.services()) + ")");
            }
            String previous = paths.putIfAbsent(service, item.path());
            if (previous != null) {
                throw item.error("names '" + service + "' again, as " + previous);
            }
            services.add(service);
        }
        MaintenanceSchedule schedule = node.has("every") ? recurring(node) : oneOff(node);
        String createdBy = node.string("created_by").trim();
        String reason = node.string("reason").trim();
        Instant created = switch (origin) {
            case REQUEST -> createdAt;
            case FILE -> node.has("created_at") ? instant(node, "created_at", Optional.empty()) : Instant.EPOCH;
            case OVERLAY -> instant(node, "created_at", Optional.empty());
        };
        MaintenanceWindow window = new MaintenanceWindow(id, services, schedule, createdBy, reason, created);
        Optional<Instant> endedAt = node.has("ended_at")
                ? Optional.of(instant(node, "ended_at", Optional.empty())) : Optional.empty();
        Optional<String> endedBy = node.has("ended_by") ? Optional.of(node.string("ended_by").trim())
                : Optional.empty();
        if (endedBy.isPresent() && endedAt.isEmpty()) {
            throw node.get("ended_by").error("needs ended_at");
        }
        return new MaintenanceEntry(window, endedAt, endedBy);
    }

    private static MaintenanceSchedule oneOff(ConfigNode node) {
        if (!node.has("start")) {
            throw node.error("needs start and end (or start and for) for a one-off window, or every for a "
                    + "recurring one");
        }
        Optional<ZoneId> zone = node.has("zone") ? Optional.of(WallClock.zone(node, "zone")) : Optional.empty();
        Instant start = instant(node, "start", zone);
        if (node.has("end") == node.has("for")) {
            throw node.error("must set either end or for" + (node.has("end") ? ", not both" : ""));
        }
        Instant end;
        if (node.has("end")) {
            end = instant(node, "end", zone);
            if (!end.isAfter(start)) {
                throw node.get("end").error("must be after start (was " + end + ", start " + start + ")");
            }
        } else {
            end = start.plus(node.duration("for"));
        }
        return new MaintenanceSchedule.OneOff(start, end);
    }

    private static MaintenanceSchedule recurring(ConfigNode node) {
        for (String oneOffField : new String[] {"start", "end", "for", "zone"}) {
            if (node.has(oneOffField)) {
                throw node.get(oneOffField).error("does not go with every: a window is one-off (start, end or for, "
                        + "zone) or recurring (every: {weekly or monthly, at, for, zone})");
            }
        }
        ConfigNode every = node.get("every");
        every.rejectUnknown(Set.of("weekly", "monthly", "at", "for", "zone"));
        if (every.has("weekly") == every.has("monthly")) {
            throw every.error("must set either weekly (days, e.g. [sun]) or monthly (a day of the month, 1..31)"
                    + (every.has("weekly") ? ", not both" : ""));
        }
        ZoneId zone = WallClock.zone(every, "zone");
        Duration length = every.duration("for");
        if (length.compareTo(MaintenanceSchedule.MAX_RECURRING_DURATION) > 0) {
            throw every.get("for").error("must be at most 7d (was " + every.get("for").text().trim() + ")");
        }
        if (length.toMillis() < 1) {
            throw every.get("for").error("must be at least 1ms (was " + every.get("for").text().trim() + ")");
        }
        if (every.has("weekly")) {
            return new MaintenanceSchedule.Weekly(zone, WallClock.dayList(every.get("weekly")),
                    WallClock.timeOfDay(every, "at"), length);
        }
        return new MaintenanceSchedule.Monthly(zone, every.integer("monthly", 1, 31, 1),
                WallClock.timeOfDay(every, "at"), length);
    }

    /**
     * The instant at {@code key}: ISO with an offset ({@code 2026-12-01T01:00:00Z},
     * {@code 2026-12-01T02:00+01:00}), or a local date-time ({@code 2026-12-01T02:00}) in {@code zone}.
     */
    private static Instant instant(ConfigNode parent, String key, Optional<ZoneId> zone) {
        ConfigNode node = parent.get(key);
        String text = node.text().trim();
        String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.substring(0, 10) + "T" + text.substring(11)
                : text;
        try {
            return OffsetDateTime.parse(iso).toInstant();
        } catch (DateTimeParseException withoutOffset) {
            // Not an instant: perhaps a local date-time, which needs the zone.
        }
        LocalDateTime local;
        try {
            local = LocalDateTime.parse(iso);
        } catch (DateTimeParseException e) {
            throw node.error("must be a date-time like 2026-12-01T02:00 (with zone) or an instant like "
                    + "2026-12-01T01:00:00Z (was '" + text + "')");
        }
        if (zone.isEmpty()) {
            throw node.error("has no offset: add zone (e.g. zone: Europe/Berlin) or write an instant like "
                    + "2026-12-01T01:00:00Z (was '" + text + "')");
        }
        try {
            return ZonedDateTime.of(local, zone.get()).toInstant();
        } catch (DateTimeException e) {
            throw node.error("is not a time in " + zone.get() + " (was '" + text + "')");
        }
    }
}
