package dev.vigil.collector.status;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The status page's content at one instant: everything it shows and nothing else. It has no field for
 * agents, checks, targets, incident details or labels, or people, so nothing rendered from it can carry
 * them.
 *
 * @param generatedAtMillis when it was computed, epoch milliseconds
 * @param overall           the banner
 * @param services          every catalogue service, in catalogue order
 * @param maintenance       maintenance running now, then maintenance starting within a week, soonest first
 * @param openIncidents     open outage incidents of catalogue services, newest first
 * @param pastIncidents     outage incidents of catalogue services resolved in the last
 *                          {@value StatusPageBuilder#PAST_INCIDENT_DAYS} days, newest first
 */
record StatusPage(long generatedAtMillis, Overall overall, List<ServiceView> services, List<Announcement> maintenance,
        List<PublicIncident> openIncidents, List<PublicIncident> pastIncidents) {

    /** Validates and copies. */
    StatusPage {
        Objects.requireNonNull(overall, "overall");
        services = List.copyOf(services);
        maintenance = List.copyOf(maintenance);
        openIncidents = List.copyOf(openIncidents);
        pastIncidents = List.copyOf(pastIncidents);
    }

    /** The state of the whole, shown as the banner. */
    enum Overall {
        /** No service is down, at least one is up. */
        OPERATIONAL("operational", "All systems operational"),
        /** No service is down and at least one is in maintenance. */
        MAINTENANCE("maintenance", "Maintenance in progress"),
        /** Some services are down, half of those up or down at most. */
        PARTIAL_OUTAGE("partial", "Partial outage"),
        /** More than half of the services up or down are down. */
        MAJOR_OUTAGE("major", "Major outage"),
        /** No service is up or down: nothing measured yet. */
        UNKNOWN("unknown", "Status not known yet");

        private final String cssClass;
        private final String text;

        Overall(String cssClass, String text) {
            this.cssClass = cssClass;
            this.text = text;
        }

        /** The banner's CSS class. */
        String cssClass() {
            return cssClass;
        }

        /** The banner's text. */
        String text() {
            return text;
        }

        /** The banner for services in {@code states}. */
        static Overall of(List<PageState> states) {
            long down = states.stream().filter(state -> state == PageState.DOWN).count();
            long up = states.stream().filter(state -> state == PageState.UP).count();
            if (down > 0) {
                return down > up ? MAJOR_OUTAGE : PARTIAL_OUTAGE;
            }
            if (states.contains(PageState.MAINTENANCE)) {
                return MAINTENANCE;
            }
            return up > 0 ? OPERATIONAL : UNKNOWN;
        }
    }

    /**
     * One service as the page shows it.
     *
     * @param name        its catalogue name
     * @param description its catalogue description, when it has one
     * @param state       its state now
     * @param days        the last {@value UptimeHistory#DAYS} UTC days, oldest first
     * @param uptime      availability over those days; empty when nothing was measured
     * @param p50Micros   median latency of the successful samples of the last 24 hours, microseconds
     * @param p95Micros   95th percentile, likewise
     */
    record ServiceView(String name, Optional<String> description, PageState state, List<DayFigure> days,
            OptionalDouble uptime, OptionalLong p50Micros, OptionalLong p95Micros) {
        /** Validates and copies. */
        ServiceView {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(uptime, "uptime");
            Objects.requireNonNull(p50Micros, "p50Micros");
            Objects.requireNonNull(p95Micros, "p95Micros");
            days = List.copyOf(days);
        }
    }

    /**
     * An outage incident as customers may see it: title, service and times only.
     *
     * @param title           the incident's title ("checkout is down")
     * @param service         the service it is about
     * @param startedMillis   when the outage began, epoch milliseconds
     * @param resolvedMillis  when it ended, once resolved
     * @param acknowledged    whether someone has taken it on
     */
    record PublicIncident(String title, String service, long startedMillis, OptionalLong resolvedMillis,
            boolean acknowledged) {
        /** Validates. */
        PublicIncident {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(service, "service");
            Objects.requireNonNull(resolvedMillis, "resolvedMillis");
        }

        /** "Investigating", "Acknowledged" or "Resolved". */
        String statusText() {
            if (resolvedMillis.isPresent()) {
                return "Resolved";
            }
            return acknowledged ? "Acknowledged" : "Investigating";
        }
    }

    /**
     * A maintenance window's current or next occurrence.
     *
     * @param reason      why, as declared
     * @param services    the catalogue services it applies to; empty when it applies to every service
     * @param startMillis when the occurrence begins, epoch milliseconds
     * @param endMillis   when it ends
     * @param active      whether it is running now
     */
    record Announcement(String reason, List<String> services, long startMillis, long endMillis, boolean active) {
        /** Validates and copies. */
        Announcement {
            Objects.requireNonNull(reason, "reason");
            services = List.copyOf(services);
            if (endMillis <= startMillis) {
                throw new IllegalArgumentException("maintenance must end after it starts (were " + startMillis
                        + " and " + endMillis + ")");
            }
        }
    }
}
