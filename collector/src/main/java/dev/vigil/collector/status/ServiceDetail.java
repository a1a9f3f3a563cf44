package dev.vigil.collector.status;

import dev.vigil.collector.change.ChangeRisk;
import dev.vigil.collector.status.StatusPage.Announcement;
import dev.vigil.collector.status.StatusPage.PublicIncident;
import dev.vigil.collector.status.StatusPage.ServiceView;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The public page of one service at one instant ({@code GET /services/{name}}): everything it shows and
 * nothing else. Changes are reduced to {@link PublicChange}, which has no field for who made them, their
 * rollback plan, external ids or links, so nothing rendered from it can carry them.
 *
 * @param generatedAtMillis when it was computed, epoch milliseconds
 * @param service           the service as the status page shows it: state, day bars, uptime, latency
 * @param maintenance       maintenance of the service running now, then starting within a week, soonest first
 * @param openIncidents     its open outage incidents, newest first
 * @param pastIncidents     its outage incidents resolved in the last
 *                          {@value StatusPageBuilder#PAST_INCIDENT_DAYS} days, newest first
 * @param recentChanges     its changes started in the last {@value StatusPageBuilder#RECENT_CHANGE_DAYS} days,
 *                          newest first
 * @param upcomingChanges   its changes starting later, soonest first
 */
record ServiceDetail(long generatedAtMillis, ServiceView service, List<Announcement> maintenance,
        List<PublicIncident> openIncidents, List<PublicIncident> pastIncidents, List<PublicChange> recentChanges,
        List<PublicChange> upcomingChanges) {

    /** Validates and copies. */
    ServiceDetail {
        Objects.requireNonNull(service, "service");
        maintenance = List.copyOf(maintenance);
        openIncidents = List.copyOf(openIncidents);
        pastIncidents = List.copyOf(pastIncidents);
        recentChanges = List.copyOf(recentChanges);
        upcomingChanges = List.copyOf(upcomingChanges);
    }

    /**
     * A change as customers may see it: what, when and how risky; never who, how it is rolled back or the
     * ids of the systems that recorded it.
     *
     * @param summary     what is changed
     * @param startMillis when it starts, epoch milliseconds
     * @param endMillis   when it ends, if it has an end
     * @param risk        how risky it was judged
     */
    record PublicChange(String summary, long startMillis, OptionalLong endMillis, ChangeRisk risk) {
        /** Validates. */
        PublicChange {
            Objects.requireNonNull(summary, "summary");
            Objects.requireNonNull(endMillis, "endMillis");
            Objects.requireNonNull(risk, "risk");
        }
    }
}
