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
import dev.vigil.collector.incident.delivery.SinkResponse;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Posts incident events to a Microsoft Teams incoming webhook (an Office 365 connector, or a Workflows
 * webhook that takes the same card) as a legacy {@code MessageCard}: a title, a theme colour per event
 * and the incident's facts. Every event type is posted, reminders included. Teams has no dedup field:
 * the incident key is one of the facts, and the outbox sends each event once unless the collector
 * stops between Teams' answer and its record of it.
 *
 * <p>A connector answers {@code 200} with the body {@code 1} when it posted the card, a Workflows
 * webhook {@code 202} with no body; but a connector also answers {@code 200} with an error text when
 * delivery to the channel failed ({@code Webhook message delivery failed with error: Microsoft Teams
 * endpoint returned HTTP error 413 ...}). Such an answer is refused, or retried when the text speaks of
 * 429 (throttled). The webhook URL is the credential: no result text carries it.
 */
public final class TeamsSink implements IncidentSink {
    /**
     * The longest fact value and title sent: Teams shows them in full, and a connector refuses a card
     * over 28 KB (after answering 200), so a long detail or check list is cut.
     */
    static final int MAX_FACT_CHARS = 1000;
    /** The longest title sent, for the same reasons. */
    static final int MAX_TITLE_CHARS = 400;
    private static final Pattern THROTTLED = Pattern.compile("\\b429\\b");

    private final SinkConfig.Teams config;
    private final SinkHttp http;
    private final InstantSource clock;
    private final OpeningEvidence evidence;
    private final URI url;

    /** A sink without failure evidence in its payloads. */
    public TeamsSink(SinkConfig.Teams config, SinkHttp http, InstantSource clock) {
        this(config, http, clock, OpeningEvidence.NONE);
    }

    /**
     * A sink posting to {@code config.webhookUrl()} through {@code http}.
     *
     * @throws IllegalArgumentException when the webhook URL is not an absolute http(s) URL (the message
     *                                  does not show it)
     * @param evidence the failure evidence an opening carries
     */
    public TeamsSink(SinkConfig.Teams config, SinkHttp http, InstantSource clock, OpeningEvidence evidence) {
        this.evidence = Objects.requireNonNull(evidence, "evidence");
        this.config = Objects.requireNonNull(config, "config");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.url = SinkHttp.secretUrl(config.webhookUrl(), "teams sink '" + config.name() + "'");
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public Future<SendResult> send(IncidentEvent event) {
        SinkRequest request = SinkRequest.json(HttpMethod.POST, url, Map.of(), Optional.of(card(event,
                event.type() == IncidentEventType.OPENED ? evidence.of(event.incident()) : List.of()).toBuffer()),
                config.settings().timeout());
        return http.send(request).map(this::verdict).otherwise(HttpVerdict::ofFailure);
    }

    private SendResult verdict(SinkResponse response) {
        if (!response.ok()) {
            return HttpVerdict.of(response, clock);
        }
        String body = response.body().toString(StandardCharsets.UTF_8).strip();
        if (body.isEmpty() || body.equals("1")) {
            return new SendResult.Delivered(response.status());
        }
        // A connector's "200 but not delivered": the status Teams got from its own backend is in the text.
        if (THROTTLED.matcher(body).find()) {
            return new SendResult.Retry(response.describe(),
                    HttpVerdict.retryAfter(response.headers().get("Retry-After"), clock));
        }
        return new SendResult.Rejected(response.describe());
    }

    /** The card for {@code event}. */
    static JsonObject card(IncidentEvent event) {
        return card(event, List.of());
    }

    /** The card for {@code event}, with a fact naming the first failure of {@code entries} if any. */
    static JsonObject card(IncidentEvent event, List<EvidenceEntry> entries) {
        Incident incident = event.incident();
        String fullTitle = switch (event.type()) {
            case OPENED -> incident.priority() + " opened: " + incident.title();
            case UPDATED -> incident.priority() + " updated: " + incident.title();
            case REMINDER -> incident.priority() + " still open: " + incident.title();
            case RESOLVED -> "Resolved: " + incident.title();
        };
        String title = IncidentText.cut(fullTitle, MAX_TITLE_CHARS);
        String colour = switch (event.type()) {
            case OPENED -> "D13438";
            case UPDATED -> "F7630C";
            case REMINDER -> "FFB900";
            case RESOLVED -> "2EB886";
        };
        JsonArray facts = new JsonArray()
                .add(fact("Service", incident.service().orElse("–")))
                .add(fact("Priority", incident.priority().name()))
                .add(fact("Status", IncidentText.status(incident)))
                .add(fact("Started", Instant.ofEpochMilli(incident.startedEpochMillis()).toString()));
        if (incident.resolvedEpochMillis().isPresent()) {
            facts.add(fact("Duration", IncidentText.duration(incident.resolvedEpochMillis().getAsLong()
                    - incident.startedEpochMillis())));
        } else {
            facts.add(fact("Detected", Instant.ofEpochMilli(incident.detectedEpochMillis()).toString()));
        }
        facts.add(fact("Checks", IncidentText.checks(incident)))
                .add(fact("Detail", incident.detail().isBlank() ? "–" : incident.detail()))
                .add(fact("Key", incident.key()));
        if (!entries.isEmpty()) {
            facts.add(fact("Evidence", EvidenceText.line(entries)));
        }
        return new JsonObject()
                .put("@type", "MessageCard")
                .put("@context", "https://schema.org/extensions")
                .put("summary", IncidentText.cut(title, 200))
                .put("themeColor", colour)
                .put("title", title)
                .put("sections", new JsonArray().add(new JsonObject()
                        .put("activityTitle", IncidentText.cut(incident.title(), MAX_TITLE_CHARS))
                        .put("facts", facts)
                        // Plain text: an underscore in a check name must not turn into italics.
                        .put("markdown", false)));
    }

    private static JsonObject fact(String name, String value) {
        return new JsonObject().put("name", name).put("value", IncidentText.cut(value, MAX_FACT_CHARS));
    }
}
