package dev.vigil.collector.status;

import static dev.vigil.collector.status.PageText.duration;
import static dev.vigil.collector.status.PageText.escape;
import static dev.vigil.collector.status.PageText.latency;
import static dev.vigil.collector.status.PageText.percent;
import static dev.vigil.collector.status.PageText.time;

import dev.vigil.collector.status.ServiceDetail.PublicChange;
import dev.vigil.collector.status.StatusPage.Announcement;
import dev.vigil.collector.status.StatusPage.PublicIncident;
import dev.vigil.collector.status.StatusPage.ServiceView;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link StatusPage} as one self-contained HTML document: inline CSS, no script, no font, no
 * image, nothing fetched; readable without JavaScript and within the page's Content-Security-Policy
 * ({@code default-src 'none'; style-src 'unsafe-inline'}). Every text from the model is escaped.
 */
final class StatusHtml {
    private static final String STYLE = """
            *{box-sizing:border-box}
            body{margin:0;background:#f6f8fa;color:#1f2328;font:15px/1.5 system-ui,-apple-system,"Segoe UI",\
            Roboto,"Helvetica Neue",Arial,sans-serif}
            main{max-width:880px;margin:0 auto;padding:24px 16px 48px}
            header{display:flex;justify-content:space-between;align-items:baseline;flex-wrap:wrap}
            h1{font-size:26px;margin:0 0 12px}h2{font-size:18px;margin:28px 0 10px}h3{font-size:16px;margin:0}
            .updated,.muted{color:#59636e;font-size:13px}
            .banner{padding:16px 20px;border-radius:8px;color:#fff;font-size:19px;font-weight:600}
            .banner.operational{background:#2da44e}.banner.partial{background:#d4a72c}
            .banner.major{background:#cf222e}.banner.maintenance{background:#3b82f6}.banner.unknown{background:#6e7781}
            .card{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:14px 16px;margin:0 0 10px}
            .head{display:flex;justify-content:space-between;align-items:center;gap:12px}
            .state{font-size:13px;font-weight:600;padding:2px 10px;border-radius:12px;color:#fff;white-space:nowrap}
            .state.up{background:#2da44e}.state.down{background:#cf222e}.state.maintenance{background:#3b82f6}
            .state.nodata,.state.unknown{background:#6e7781}
            .description{margin:4px 0 8px;color:#59636e;font-size:14px}
            .bars{display:flex;gap:2px;height:34px;margin:8px 0 4px}
            .bar{flex:1 1 0;border-radius:2px;min-width:2px}
            %s
            .legend{display:flex;justify-content:space-between;color:#59636e;font-size:12px}
            .latency{margin:6px 0 0;font-size:13px;color:#59636e}
            ul.list{list-style:none;margin:0;padding:0}
            ul.list li{background:#fff;border:1px solid #d1d9e0;border-radius:8px;padding:10px 14px;margin:0 0 8px}
            .tag{font-size:12px;font-weight:600;padding:1px 8px;border-radius:10px;background:#eaeef2;color:#1f2328}
            h3 a{color:inherit}
            .tag.open{background:#cf222e;color:#fff}.tag.active{background:#3b82f6;color:#fff}
            footer{margin-top:32px;color:#59636e;font-size:12px;text-align:center}
            """.formatted(barStyles());

    private static final String FOOTER = "<footer>Availability is measured around the clock; maintenance and time "
            + "without data are left out. Times are UTC. Served by Vigil.</footer>\n</main></body></html>\n";

    private StatusHtml() {
    }

    /** The page as HTML, at once. */
    static String render(StatusPage page) {
        Rendering rendering = new Rendering(page);
        rendering.step(Long.MAX_VALUE);
        return rendering.html();
    }

    /**
     * The page rendered in steps, a few services per step, so that thousands of services do not hold
     * the event loop for long: {@link #step} until it returns true, then {@link #html}.
     */
    static final class Rendering {
        private final StatusPage page;
        private final StringBuilder html;
        /** Each bar's date, written once per page rather than once per service. */
        private final Map<Long, String> dates = new HashMap<>();
        private int next = -1;

        Rendering(StatusPage page) {
            this.page = page;
            this.html = new StringBuilder(4_096 + page.services().size() * UptimeHistory.DAYS * 80);
        }

        /**
         * Renders until {@code budgetNanos} has passed (at least one service per call).
         *
         * @return whether the document is complete
         */
        boolean step(long budgetNanos) {
            long started = System.nanoTime();
            if (next < 0) {
                head();
                next = 0;
            }
            while (next < page.services().size()) {
                service(page.services().get(next++));
                if (System.nanoTime() - started >= budgetNanos && next < page.services().size()) {
                    return false;
                }
            }
            if (next == page.services().size()) {
                tail();
                next++;
            }
            return true;
        }

        /** The document, once {@link #step} returned true. */
        String html() {
            if (next <= page.services().size()) {
                throw new IllegalStateException("the status page is not rendered yet");
            }
            return html.toString();
        }

        private void head() {
            html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                    .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                    .append("<title>Service status</title><style>").append(STYLE)
                    .append("</style></head>\n<body><main>\n")
                    .append("<header><h1>Service status</h1><span class=\"updated\">Updated ")
                    .append(time(page.generatedAtMillis())).append("</span></header>\n")
                    .append("<div class=\"banner ").append(page.overall().cssClass()).append("\" role=\"status\">")
                    .append(page.overall().text()).append("</div>\n");
            openIncidents(html, page.openIncidents(), page.generatedAtMillis());
            maintenance(html, page.maintenance());
            html.append("<section class=\"services\"><h2>Services</h2>\n");
        }

        private void service(ServiceView service) {
            card(html, dates, service, true);
        }

        private void tail() {
            html.append("</section>\n");
            pastIncidents(html, page.pastIncidents());
            html.append(FOOTER);
        }
    }

    /** The page of one service, at once: a single service renders in well under a millisecond. */
    static String render(ServiceDetail detail) {
        String name = escape(detail.service().name());
        StringBuilder html = new StringBuilder(16_384);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>").append(name).append(" - Service status</title><style>").append(STYLE)
                .append("</style></head>\n<body><main>\n")
                .append("<p class=\"muted\"><a href=\"/\">&larr; All services</a></p>\n")
                .append("<header><h1>").append(name).append("</h1><span class=\"updated\">Updated ")
                .append(time(detail.generatedAtMillis())).append("</span></header>\n");
        card(html, new HashMap<>(), detail.service(), false);
        openIncidents(html, detail.openIncidents(), detail.generatedAtMillis());
        maintenance(html, detail.maintenance());
        changes(html, "upcoming", "Upcoming changes", detail.upcomingChanges(), "No changes planned.");
        changes(html, "recent", "Changes (last " + StatusPageBuilder.RECENT_CHANGE_DAYS + " days)",
                detail.recentChanges(), "No changes.");
        pastIncidents(html, detail.pastIncidents());
        return html.append(FOOTER).toString();
    }

    /** A page saying there is no service {@code name}, for the 404 answer. */
    static String notFound(String name) {
        return "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>No such service</title>"
                + "<style>" + STYLE + "</style></head>\n<body><main>\n<h1>No such service</h1>\n"
                + "<p>There is no service named <strong>" + escape(name) + "</strong>.</p>\n"
                + "<p><a href=\"/\">See all services</a></p>\n</main></body></html>\n";
    }

    private static void openIncidents(StringBuilder html, List<PublicIncident> incidents, long nowMillis) {
        if (incidents.isEmpty()) {
            return;
        }
        html.append("<section class=\"incidents open\"><h2>Open incidents</h2><ul class=\"list\">\n");
        for (PublicIncident incident : incidents) {
            html.append("<li class=\"incident\"><span class=\"tag open\">").append(incident.statusText())
                    .append("</span> <strong>").append(escape(incident.title())).append("</strong>")
                    .append("<div class=\"muted\">").append(escape(incident.service())).append(" · since ")
                    .append(time(incident.startedMillis())).append(" (")
                    .append(duration(nowMillis - incident.startedMillis()))
                    .append(")</div></li>\n");
        }
        html.append("</ul></section>\n");
    }

    private static void maintenance(StringBuilder html, List<Announcement> announcements) {
        if (announcements.isEmpty()) {
            return;
        }
        html.append("<section class=\"maintenance\"><h2>Maintenance</h2><ul class=\"list\">\n");
        for (Announcement announcement : announcements) {
            html.append("<li class=\"announcement\"><span class=\"tag")
                    .append(announcement.active() ? " active\">In progress" : "\">Scheduled")
                    .append("</span> <strong>").append(escape(announcement.reason())).append("</strong>")
                    .append("<div class=\"muted\">").append(servicesText(announcement.services()))
                    .append(" · ").append(time(announcement.startMillis())).append(" to ")
                    .append(time(announcement.endMillis())).append(" (")
                    .append(duration(announcement.endMillis() - announcement.startMillis()))
                    .append(")</div></li>\n");
        }
        html.append("</ul></section>\n");
    }

    private static void pastIncidents(StringBuilder html, List<PublicIncident> incidents) {
        html.append("<section class=\"incidents past\"><h2>Past incidents (last ")
                .append(StatusPageBuilder.PAST_INCIDENT_DAYS).append(" days)</h2>\n");
        if (incidents.isEmpty()) {
            html.append("<p class=\"muted\">No incidents.</p>\n");
        } else {
            html.append("<ul class=\"list\">\n");
            for (PublicIncident incident : incidents) {
                long resolved = incident.resolvedMillis().getAsLong();
                html.append("<li class=\"incident\"><strong>").append(escape(incident.title()))
                        .append("</strong><div class=\"muted\">").append(escape(incident.service()))
                        .append(" · ").append(time(incident.startedMillis())).append(", lasted ")
                        .append(duration(resolved - incident.startedMillis())).append(" · ")
                        .append(incident.statusText()).append("</div></li>\n");
            }
            html.append("</ul>\n");
        }
        html.append("</section>\n");
    }

    /** A list of changes: summary, window and risk, nothing else (the model has nothing else). */
    private static void changes(StringBuilder html, String cssClass, String title, List<PublicChange> changes,
            String none) {
        html.append("<section class=\"changes ").append(cssClass).append("\"><h2>").append(title).append("</h2>\n");
        if (changes.isEmpty()) {
            html.append("<p class=\"muted\">").append(none).append("</p>\n</section>\n");
            return;
        }
        html.append("<ul class=\"list\">\n");
        for (PublicChange change : changes) {
            html.append("<li class=\"change\"><span class=\"tag\">").append(change.risk().label())
                    .append(" risk</span> <strong>").append(escape(change.summary())).append("</strong>")
                    .append("<div class=\"muted\">").append(time(change.startMillis()));
            if (change.endMillis().isPresent()) {
                long end = change.endMillis().getAsLong();
                html.append(" to ").append(time(end)).append(" (").append(duration(end - change.startMillis()))
                        .append(')');
            }
            html.append("</div></li>\n");
        }
        html.append("</ul></section>\n");
    }

    /**
     * One service's card: name (a link to its page when {@code linked}), state, description, day bars,
     * uptime and latency.
     */
    private static void card(StringBuilder html, Map<Long, String> dates, ServiceView service, boolean linked) {
        String name = escape(service.name());
        html.append("<article class=\"card service\" id=\"service-").append(name).append("\">")
                .append("<div class=\"head\"><h3>");
        if (linked) {
            // Names are [A-Za-z0-9._-]: safe in a path as they are.
            html.append("<a href=\"/services/").append(name).append("\">").append(name).append("</a>");
        } else {
            html.append(name);
        }
        html.append("</h3><span class=\"state ")
                .append(service.state().cssClass()).append("\">").append(service.state().text())
                .append("</span></div>\n");
        service.description().ifPresent(description -> html.append("<p class=\"description\">")
                .append(escape(description)).append("</p>\n"));
        html.append("<div class=\"bars\" aria-label=\"uptime over the last ").append(UptimeHistory.DAYS)
                .append(" days\">");
        List<DayFigure> days = service.days();
        for (int i = 0; i < days.size(); i++) {
            DayFigure day = days.get(i);
            html.append("<i class=\"bar ").append(day.bar().cssClass()).append("\" title=\"");
            tooltip(html, dates, day, i == days.size() - 1);
            html.append("\"></i>");
        }
        html.append("</div>\n<div class=\"legend\"><span>").append(UptimeHistory.DAYS)
                .append(" days ago</span><span>")
                .append(service.uptime().isPresent() ? percent(service.uptime().getAsDouble()) + " uptime"
                        : "no data")
                .append("</span><span>Today</span></div>\n");
        if (service.p50Micros().isPresent()) {
            html.append("<p class=\"latency\">Response time, last 24 hours: median ")
                    .append(latency(service.p50Micros().getAsLong()));
            service.p95Micros().ifPresent(p95 -> html.append(" · 95th percentile ").append(latency(p95)));
            html.append("</p>\n");
        }
        html.append("</article>\n");
    }

    /** {@code 2026-11-20: 99.65% available, 5m down, 2h maintenance}. */
    private static void tooltip(StringBuilder html, Map<Long, String> dates, DayFigure day, boolean today) {
        html.append(dates.computeIfAbsent(day.dayStartMillis(), PageText::date));
        if (today) {
            html.append(" (today so far)");
        }
        html.append(": ");
        if (day.availability().isEmpty()) {
            html.append(day.maintenanceMillis() > 0 ? "maintenance" : "no data");
            return;
        }
        html.append(percent(day.availability().getAsDouble())).append(" available, ");
        if (day.downMillis() == 0) {
            html.append("no downtime");
        } else {
            html.append(duration(day.downMillis())).append(" down");
        }
        if (day.maintenanceMillis() > 0) {
            html.append(", ").append(duration(day.maintenanceMillis())).append(" maintenance");
        }
    }

    private static String servicesText(List<String> services) {
        return services.isEmpty() ? "all services" : escape(String.join(", ", services));
    }

    private static String barStyles() {
        StringBuilder css = new StringBuilder();
        for (DayFigure.Bar bar : DayFigure.Bar.values()) {
            css.append(".bar.").append(bar.cssClass()).append("{background:").append(bar.colour()).append('}');
        }
        return css.toString();
    }
}
