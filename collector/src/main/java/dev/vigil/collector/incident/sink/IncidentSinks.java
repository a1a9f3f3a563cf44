package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SinkHttp;
import java.time.InstantSource;

/** Makes the sink of each configured kind: the one place that lists them all. */
public final class IncidentSinks {
    private IncidentSinks() {
    }

    /** The sink {@code config} describes, sending through {@code http}, without failure evidence. */
    public static IncidentSink create(SinkConfig config, SinkHttp http, InstantSource clock) {
        return create(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * The sink {@code config} describes, sending through {@code http}.
     *
     * @param evidence the failure evidence an incident's opening carries, where the tool has room for it
     */
    public static IncidentSink create(SinkConfig config, SinkHttp http, InstantSource clock,
            OpeningEvidence evidence) {
        // Java 17 has no pattern switch over the sealed SinkConfig: the enum switch (exhaustive) plus a cast.
        return switch (config.type()) {
            case WEBHOOK -> new WebhookSink((SinkConfig.Webhook) config, http, clock, evidence);
            case PAGERDUTY -> new PagerDutySink((SinkConfig.PagerDuty) config, http, clock, evidence);
            case OPSGENIE -> new OpsgenieSink((SinkConfig.Opsgenie) config, http, clock, evidence);
            case ALERTMANAGER -> new AlertmanagerSink((SinkConfig.Alertmanager) config, http, clock, evidence);
            case SERVICENOW -> new ServiceNowSink((SinkConfig.ServiceNow) config, http, clock, evidence);
            case JIRA -> new JiraSink((SinkConfig.Jira) config, http, clock, evidence);
            case SLACK -> new SlackSink((SinkConfig.Slack) config, http, clock, evidence);
            case TEAMS -> new TeamsSink((SinkConfig.Teams) config, http, clock, evidence);
        };
    }
}
