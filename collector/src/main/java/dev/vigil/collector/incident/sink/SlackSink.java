package dev.vigil.collector.incident.sink;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.evidence.EvidenceEntry;
import dev.vigil.collector.evidence.OpeningEvidence;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Posts incident events to a Slack incoming webhook: a header and a section of fields (service,
 * priority, status, start, duration or detection time, checks, detail, key) in Block Kit, and a plain
 * {@code text} for notifications and clients without blocks. Every event type is posted, reminders
 * included. Slack has no dedup field: the incident key is in every message, and the outbox sends each
 * event once unless the collector stops between Slack's answer and its record of it.
 *
 * <p>The webhook URL is the credential: it is read from the {@link dev.vigil.collector.config.Secret}
 * only to build the request, and no result text carries it.
 */
public final class SlackSink implements IncidentSink {
    /** Slack refuses a header block whose text is longer. */
    static final int MAX_HEADER_CHARS = 150;
    /** Slack refuses a section field whose text is longer. */
    static final int MAX_FIELD_CHARS = 2000;

    private final SinkConfig.Slack config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final OpeningEvidence evidence;
    private final URI url;

    /** A sink without failure evidence in its payloads. */
    public SlackSink(SinkConfig.Slack config, SinkHttp http, InstantSource clock) {
        this(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * A sink posting to {@code config.webhookUrl()} through {@code http}.
     *
     * @throws IllegalArgumentException when the webhook URL is not an absolute http(s) URL (the message
     *                                  does not show it)
     * @param evidence the failure evidence an opening carries
     */
    public SlackSink(SinkConfig.Slack config, SinkHttp http, InstantSource clock, OpeningEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.url = SinkHttp.secretUrl(config.webhookUrl(), "slack sink '" + config.name() + "'");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        SinkRequest request = SinkRequest.json(HttpMethod.POST, url, Map.of(),
                Optional.of(message(event, event.type() == IncidentEventType.OPENED
                        ? evidence.of(event.incident()) : List.of()).toBuffer()), config.settings().timeout());
        return http.send(request).map(response -> HttpVerdict.of(response, clock)).otherwise(HttpVerdict::ofFailure);
    }

    /** The message for {@code event}: {@code {"text": ..., "blocks": [header, section]}}. */
    static JsonObject message(IncidentEvent event) {
        return message(event, List.of());
    }

    /** The message for {@code event}, with a field naming the first failure of {@code entries} if any. */
    static JsonObject message(IncidentEvent event, List<EvidenceEntry> entries) {
        Incident incident = event.incident();
        String headline = emoji(event.type()) + " " + headline(event);
        JsonObject header = new JsonObject()
                .put("type", "header")
                .put("text", new JsonObject()
                        .put("type", "plain_text")
                        .put("text", IncidentText.cut(headline, MAX_HEADER_CHARS))
                        .put("emoji", true));
        JsonArray fields = new JsonArray()
                .add(field("Service", escape(incident.service().orElse("–"))))
                .add(field("Priority", incident.priority().name()))
                .add(field("Status", escape(IncidentText.status(incident))))
                .add(field("Started", date(incident.startedEpochMillis())));
        if (incident.resolvedEpochMillis().isPresent()) {
            fields.add(field("Duration", IncidentText.duration(incident.resolvedEpochMillis().getAsLong()
                    - incident.startedEpochMillis())));
        } else {
            fields.add(field("Detected", date(incident.detectedEpochMillis())));
        }
        // Cut before escaping, so the cut cannot split an entity; the field's own cut is a safety net.
        fields.add(field("Checks", escape(IncidentText.cut(IncidentText.checks(incident), MAX_FIELD_CHARS / 2))))
                .add(field("Detail", escape(IncidentText.cut(incident.detail().isBlank() ? "–" : incident.detail(),
                        MAX_FIELD_CHARS / 2))))
                .add(field("Key", "`" + escape(incident.key()) + "`"));
        if (!entries.isEmpty()) {
            fields.add(field("Evidence", escape(IncidentText.cut(EvidenceText.line(entries), MAX_FIELD_CHARS / 2))));
        }
        JsonObject section = new JsonObject().put("type", "section").put("fields", fields);
        return new JsonObject()
                .put("text", escape(headline + " (" + incident.key() + ")"))
                .put("blocks", new JsonArray().add(header).add(section));
    }

    private static String headline(IncidentEvent event) {
        Incident incident = event.incident();
        return switch (event.type()) {
            case OPENED -> incident.priority() + " opened: " + incident.title();
            case UPDATED -> incident.priority() + " updated: " + incident.title();
            case REMINDER -> incident.priority() + " still open: " + incident.title();
            case RESOLVED -> "Resolved: " + incident.title();
        };
    }

    private static String emoji(IncidentEventType type) {
        return switch (type) {
            case OPENED -> ":red_circle:";
            case UPDATED -> ":large_orange_circle:";
            case REMINDER -> ":alarm_clock:";
            case RESOLVED -> ":large_green_circle:";
        };
    }

    private static JsonObject field(String name, String mrkdwn) {
        return new JsonObject()
                .put("type", "mrkdwn")
                .put("text", IncidentText.cut("*" + name + "*\n" + mrkdwn, MAX_FIELD_CHARS));
    }

    /** A Slack date token: shown in each reader's time zone, with the UTC instant as the fallback text. */
    private static String date(long epochMillis) {
        return "<!date^" + Math.floorDiv(epochMillis, 1000) + "^{date_short_pretty} {time_secs}|"
                + Instant.ofEpochMilli(epochMillis) + ">";
    }

    /** Slack's mrkdwn gives {@code &}, {@code <} and {@code >} a meaning: a title must not make a link or a mention. */
    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
