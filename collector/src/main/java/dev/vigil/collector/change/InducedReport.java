package dev.vigil.collector.change;

import dev.vigil.collector.api.UtcMonth;
import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.config.DurationText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Which outage incidents of a calendar month (UTC) were possibly change-induced, with per-service figures:
 * changes started in the month, change-induced incidents, and the change success rate, the share of those
 * changes no incident followed within the window.
 */
public final class InducedReport {
    private InducedReport() {
    }

    /**
     * The report for {@code month} as the API answers it.
     *
     * @param incidents every incident known; outage incidents with a service are considered
     */
    public static JsonObject of(YearMonth month, ChangeStore store, List<Incident> incidents, Duration window,
            Catalogue catalogue) {
        Objects.requireNonNull(month, "month");
        long from = UtcMonth.startMillis(month);
        long to = UtcMonth.startMillis(month.plusMonths(1));
        Map<String, long[]> figures = new TreeMap<>();
        // A change is followed by an incident when it is among that incident's possible causes; incidents of
        // the next month count too, since a change late in the month can cause one just after.
        Set<String> followed = new HashSet<>();
        JsonArray listed = new JsonArray();
        for (Incident incident : incidents) {
            if (incident.kind() != IncidentKind.OUTAGE || incident.service().isEmpty()) {
                continue;
            }
            String service = incident.service().get();
            List<Change> causes = store.possibleCauses(service, incident.startedEpochMillis(), window, catalogue);
            causes.forEach(c -> followed.add(c.id()));
            long started = incident.startedEpochMillis();
            if (started < from || started >= to) {
                continue;
            }
            JsonArray causeJson = new JsonArray();
            causes.forEach(c -> causeJson.add(c.toJson()));
            listed.add(new JsonObject()
                    .put("incident", incident.id())
                    .put("service", service)
                    .put("title", incident.title())
                    .put("started", Instant.ofEpochMilli(started).toString())
                    .put("possible_causes", causeJson));
            if (!causes.isEmpty()) {
                figures.computeIfAbsent(service, s -> new long[3])[1]++;
            }
        }
        for (Change change : store.list(java.util.Optional.empty(), from, to - 1)) {
            if (change.startEpochMillis() < from) {
                continue;
            }
            long[] counts = figures.computeIfAbsent(change.service(), s -> new long[3]);
            counts[0]++;
            if (!followed.contains(change.id())) {
                counts[2]++;
            }
        }
        JsonArray services = new JsonArray();
        figures.forEach((service, counts) -> services.add(new JsonObject()
                .put("service", service)
                .put("changes", counts[0])
                .put("change_induced_incidents", counts[1])
                .put("change_success_ratio", counts[0] == 0 ? null : (double) counts[2] / counts[0])));
        return new JsonObject()
                .put("period", month.toString())
                .put("induced_window", DurationText.format(window))
                .put("incidents", listed)
                .put("services", services);
    }
}
