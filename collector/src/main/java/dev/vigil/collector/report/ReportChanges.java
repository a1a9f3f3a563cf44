package dev.vigil.collector.report;

import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.change.Change;
import dev.vigil.collector.change.ChangeStore;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.report.ReportDocument.Block;
import dev.vigil.collector.report.ReportDocument.Field;
import dev.vigil.collector.report.ReportDocument.Fields;
import dev.vigil.collector.report.ReportDocument.Heading;
import dev.vigil.collector.report.ReportDocument.Paragraph;
import dev.vigil.collector.report.ReportDocument.Table;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The changes part of the monthly SLA report: per service, the changes started in its month, the outage
 * incidents of the month that a change possibly induced, and the change success rate.
 *
 * <p>A change is <em>failed</em> when it possibly induced an outage incident: it is among the possible causes
 * of an outage incident on its service or on a service depending on it (see {@code docs/changes.md}: it
 * started within {@code changes.induced_window} before the incident). The change model records no outcome of
 * its own (no "failed" or "rolled back" status), so this is the only ground. The success rate is the share of
 * the month's changes that are not failed; none without changes. These are the figures of
 * {@code GET /api/v1/changes/induced}, over the month of the service's SLA calendar.
 *
 * <p>Made once per report from the changes and incidents of the moment, then asked per service.
 */
public final class ReportChanges {
    /** No changes at all: the report of a collector that records none. */
    public static final ReportChanges NONE = new ReportChanges(List.of(), Map.of(), Map.of());
    /** The columns of the CSV table {@code changes}. */
    static final List<String> CSV_COLUMNS = List.of("customer", "service", "id", "start", "end", "summary", "by",
            "risk", "approved", "external_id", "failed", "induced_incidents");

    private final List<Change> changes;
    /** For each change id, the keys of the outage incidents it possibly induced, oldest first. */
    private final Map<String, List<String>> inducedBy;
    /** For each incident key with a possible cause, its service and start. */
    private final Map<String, Incident> induced;

    private ReportChanges(List<Change> changes, Map<String, List<String>> inducedBy, Map<String, Incident> induced) {
        this.changes = changes;
        this.inducedBy = inducedBy;
        this.induced = induced;
    }

    /**
     * The changes of {@code store} set against {@code incidents}.
     *
     * @param incidents every incident recorded (outage incidents with a service are considered)
     * @param window    {@code changes.induced_window}
     * @param catalogue the catalogue, for the services each service depends on
     */
    public static ReportChanges of(ChangeStore store, List<Incident> incidents, Duration window, Catalogue catalogue) {
        Objects.requireNonNull(window, "window");
        Map<String, List<String>> inducedBy = new HashMap<>();
        Map<String, Incident> induced = new HashMap<>();
        List<Incident> oldestFirst = incidents.stream()
                .filter(incident -> incident.kind() == IncidentKind.OUTAGE && incident.service().isPresent())
                .sorted(Comparator.comparingLong(Incident::startedEpochMillis)).toList();
        for (Incident incident : oldestFirst) {
            List<Change> causes = store.possibleCauses(incident.service().get(), incident.startedEpochMillis(),
                    window, catalogue);
            if (!causes.isEmpty()) {
                induced.put(incident.key(), incident);
            }
            causes.forEach(cause -> inducedBy.computeIfAbsent(cause.id(), id -> new ArrayList<>()).add(incident.key()));
        }
        return new ReportChanges(store.all(), inducedBy, induced);
    }

    /** The part about {@code service} over {@code [fromMillis, toMillis)}. */
    ServiceChanges of(String service, long fromMillis, long toMillis) {
        List<ChangeRow> rows = changes.stream()
                .filter(change -> change.service().equals(service))
                .filter(change -> change.startEpochMillis() >= fromMillis && change.startEpochMillis() < toMillis)
                .sorted(Comparator.comparingLong(Change::startEpochMillis).thenComparing(Change::id))
                .map(change -> new ChangeRow(change, inducedBy.getOrDefault(change.id(), List.of())))
                .toList();
        Set<String> incidents = new LinkedHashSet<>();
        induced.values().stream()
                .filter(incident -> incident.service().get().equals(service))
                .filter(incident -> incident.startedEpochMillis() >= fromMillis
                        && incident.startedEpochMillis() < toMillis)
                .sorted(Comparator.comparingLong(Incident::startedEpochMillis))
                .forEach(incident -> incidents.add(incident.key()));
        return new ServiceChanges(rows, List.copyOf(incidents));
    }

    /**
     * One change of the month.
     *
     * @param change           the change as recorded
     * @param inducedIncidents the keys of the outage incidents it possibly induced, on any service, oldest first
     */
    public record ChangeRow(Change change, List<String> inducedIncidents) {
        /** Copies. */
        public ChangeRow {
            Objects.requireNonNull(change, "change");
            inducedIncidents = List.copyOf(inducedIncidents);
        }

        /** Whether the change counts as failed: it possibly induced an outage incident. */
        public boolean failed() {
            return !inducedIncidents.isEmpty();
        }
    }

    /**
     * The changes part of one service.
     *
     * @param changes          the changes started on the service in its month, by start
     * @param inducedIncidents the keys of the service's outage incidents that started in the month with a
     *                         possible cause, oldest first
     */
    public record ServiceChanges(List<ChangeRow> changes, List<String> inducedIncidents) {
        /** Nothing: for services of a report made without changes. */
        static final ServiceChanges NONE = new ServiceChanges(List.of(), List.of());

        /** Copies. */
        public ServiceChanges {
            changes = List.copyOf(changes);
            inducedIncidents = List.copyOf(inducedIncidents);
        }

        /** The share of the changes that are not failed; none without changes. */
        public OptionalDouble successRatio() {
            if (changes.isEmpty()) {
                return OptionalDouble.empty();
            }
            return OptionalDouble.of((double) changes.stream().filter(row -> !row.failed()).count() / changes.size());
        }

        /** This part as the JSON report writes it, under {@code changes}. */
        JsonObject json() {
            JsonArray list = new JsonArray();
            for (ChangeRow row : changes) {
                Change change = row.change();
                list.add(new JsonObject()
                        .put("id", change.id())
                        .put("start", Instant.ofEpochMilli(change.startEpochMillis()).toString())
                        .put("end", change.endEpochMillis().isPresent()
                                ? Instant.ofEpochMilli(change.endEpochMillis().getAsLong()).toString() : null)
                        .put("summary", change.summary())
                        .put("by", change.by())
                        .put("risk", change.risk().label())
                        .put("approved", change.approved())
                        .put("externalId", change.externalId().orElse(null))
                        .put("failed", row.failed())
                        .put("inducedIncidents", new JsonArray(row.inducedIncidents())));
            }
            OptionalDouble ratio = successRatio();
            return new JsonObject()
                    .put("changes", list)
                    .put("changeInducedIncidents", new JsonArray(inducedIncidents))
                    .put("changeSuccessRatio", ratio.isPresent() ? ratio.getAsDouble() : null);
        }

        /** This part as the HTML and PDF reports show it: a heading, the figures, a table of the changes. */
        void blocks(List<Block> blocks, ZoneId zone) {
            blocks.add(new Heading(4, "Changes"));
            if (changes.isEmpty()) {
                blocks.add(new Paragraph("No changes recorded.", false));
                return;
            }
            OptionalDouble ratio = successRatio();
            long failed = changes.stream().filter(ChangeRow::failed).count();
            blocks.add(new Fields(List.of(
                    new Field("Change success rate", String.format(Locale.ROOT, "%.0f%% (%d of %d changes failed)",
                            ratio.getAsDouble() * 100, failed, changes.size())),
                    new Field("Change-induced incidents", inducedIncidents.isEmpty() ? "none"
                            : String.join(", ", inducedIncidents)))));
            List<List<String>> rows = new ArrayList<>();
            for (ChangeRow row : changes) {
                Change change = row.change();
                rows.add(List.of(ReportFigures.instant(change.startEpochMillis(), zone),
                        change.endEpochMillis().isPresent()
                                ? ReportFigures.instant(change.endEpochMillis().getAsLong(), zone) : "open-ended",
                        change.summary(), change.by(), change.risk().label(), change.approved() ? "yes" : "no",
                        change.externalId().orElse("-"),
                        row.failed() ? "failed: " + String.join(", ", row.inducedIncidents()) : "succeeded"));
            }
            blocks.add(new Table(List.of("Start", "End", "What", "Who", "Risk", "Approved", "External id", "Outcome"),
                    List.of(14, 14, 22, 10, 7, 8, 10, 15), rows));
        }

        /** One CSV row per change, each naming {@code customer} and {@code service}. */
        List<List<String>> csvRows(String customer, String service) {
            List<List<String>> rows = new ArrayList<>();
            for (ChangeRow row : changes) {
                Change change = row.change();
                rows.add(List.of(customer, service, change.id(),
                        Instant.ofEpochMilli(change.startEpochMillis()).toString(),
                        change.endEpochMillis().isPresent()
                                ? Instant.ofEpochMilli(change.endEpochMillis().getAsLong()).toString() : "",
                        ReportCsv.text(change.summary()), ReportCsv.text(change.by()), change.risk().label(),
                        Boolean.toString(change.approved()), ReportCsv.text(change.externalId().orElse("")),
                        Boolean.toString(row.failed()),
                        String.join(" ", row.inducedIncidents())));
            }
            return rows;
        }
    }
}
