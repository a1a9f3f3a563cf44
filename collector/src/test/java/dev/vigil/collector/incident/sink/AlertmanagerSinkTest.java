package dev.vigil.collector.incident.sink;

import static dev.vigil.collector.incident.sink.SinkTestBed.outage;
import static dev.vigil.collector.incident.sink.SinkTestBed.send;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.Secret;
import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.config.SinkSettings;
import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.IncidentKeys;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.testsupport.sinks.AlertmanagerReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Alertmanager sink against a receiver that keeps alerts by label set and expires them as Alertmanager does. */
class AlertmanagerSinkTest {
    private static final long STARTED = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long DETECTED = STARTED + 15_000;
    private static final CheckKey WEB_EDGE_1 = new CheckKey("edge-1", "web");
    private static final CheckKey WEB_EDGE_2 = new CheckKey("edge-2", "web");

    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.ofEpochMilli(DETECTED));
    private final InstantSource clock = now::get;
    private AlertmanagerReceiver alertmanager;

    @BeforeEach
    void startAlertmanager() throws IOException {
        alertmanager = AlertmanagerReceiver.start(AlertmanagerReceiver.DEFAULT_RESOLVE_TIMEOUT, clock);
    }

    @AfterEach
    void stopAlertmanager() {
        alertmanager.close();
    }

    @Test
    void anOpenedThenResolvedIncidentIsOneAlertThatFiresAndThenResolves() throws Exception {
        AlertmanagerSink sink = sink(Optional.empty());
        Incident open = serviceOutage();

        assertThat(send(sink, IncidentEvent.of(IncidentEventType.OPENED, open)))
                .isEqualTo(new SendResult.Delivered(200));
        AlertmanagerReceiver.Alert firing = alertmanager.alert(open.key()).orElseThrow();
        assertThat(firing.resolved()).isFalse();
        assertThat(firing.startsAt()).isEqualTo(Instant.ofEpochMilli(STARTED));
        assertThat(firing.timeout()).as("no endsAt posted while firing").isTrue();

        now.set(Instant.ofEpochMilli(STARTED + 300_000));
        Incident resolved = open.resolve(STARTED + 240_000, "recovered");
        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved)))
                .isEqualTo(new SendResult.Delivered(200));

        assertThat(alertmanager.alerts()).hasSize(1);
        AlertmanagerReceiver.Alert done = alertmanager.alert(open.key()).orElseThrow();
        assertThat(done.resolved()).isTrue();
        assertThat(done.endsAt()).isEqualTo(Instant.ofEpochMilli(STARTED + 240_000));
        assertThat(done.firings()).isEqualTo(1);
        assertThat(alertmanager.activeAlerts()).isEmpty();
    }

    @Test
    void retriedAndResentOpeningsStayOneAlertThatFiredOnce() throws Exception {
        AlertmanagerSink sink = sink(Optional.empty());
        Incident open = serviceOutage();
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, open);

        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(send(sink, opened)).isInstanceOf(SendResult.Delivered.class);
            now.set(now.get().plusSeconds(60));
        }
        assertThat(send(sink, new IncidentEvent(IncidentEventType.REMINDER, 1, open)))
                .isInstanceOf(SendResult.Delivered.class);

        assertThat(alertmanager.posts()).hasSize(4);
        assertThat(alertmanager.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.firings()).isEqualTo(1);
            assertThat(alert.resolved()).isFalse();
            assertThat(alert.startsAt()).isEqualTo(Instant.ofEpochMilli(STARTED));
        });
    }

    @Test
    void labelsStayTheSameForOpenedUpdatedAndResolvedEventsWhileAnnotationsFollowTheIncident() throws Exception {
        AlertmanagerSink sink = sink(Optional.empty());
        Incident open = serviceOutage();
        Incident escalated = open.escalate(List.of(WEB_EDGE_1, WEB_EDGE_2), DETECTED + 60_000,
                "edge-2 down too");
        Incident acknowledged = escalated.acknowledge(new Acknowledgement(DETECTED + 90_000, "alice", "api"));
        Incident resolved = acknowledged.resolve(DETECTED + 120_000, "recovered");
        now.set(Instant.ofEpochMilli(DETECTED + 180_000));

        for (IncidentEvent event : List.of(IncidentEvent.of(IncidentEventType.OPENED, open),
                new IncidentEvent(IncidentEventType.UPDATED, 1, escalated),
                new IncidentEvent(IncidentEventType.UPDATED, 2, acknowledged),
                IncidentEvent.of(IncidentEventType.RESOLVED, resolved))) {
            assertThat(send(sink, event)).as(event.eventId()).isInstanceOf(SendResult.Delivered.class);
        }

        List<JsonObject> posted = alertmanager.posts().stream().map(post -> new JsonArray(post.body()))
                .map(array -> array.getJsonObject(0)).toList();
        assertThat(posted).extracting(alert -> alert.getJsonObject("labels").getMap())
                .containsOnly(Map.of("alertname", "VigilIncident", "vigil_key", open.key(), "kind", "outage",
                        "service", "checkout", "severity", "critical", "priority", "P2"));
        assertThat(posted.get(0).getJsonObject("annotations").getString("description"))
                .isEqualTo("timed out after 5 s\nchecks: edge-1/web");
        assertThat(posted.get(1).getJsonObject("annotations").getString("description"))
                .isEqualTo("timed out after 5 s\nchecks: edge-1/web, edge-2/web");
        assertThat(posted.get(2).getJsonObject("annotations").getString("acknowledged_by")).isEqualTo("alice");
        assertThat(posted).extracting(alert -> alert.containsKey("endsAt")).containsExactly(false, false, false, true);
        AlertmanagerReceiver.Alert alert = alertmanager.alert(open.key()).orElseThrow();
        assertThat(alert.resolved()).isTrue();
        assertThat(alert.annotations()).containsEntry("acknowledged_by", "alice");
    }

    @Test
    void aCheckIncidentIsLabelledWithItsCheckAndTheConfiguredSeverity() throws Exception {
        SinkConfig.Alertmanager config = new SinkConfig.Alertmanager(SinkSettings.named("am"), alertmanager.url(),
                Duration.ofMinutes(1), Map.of(Priority.P4, "page-me-not"), Optional.empty());
        AlertmanagerSink sink = new AlertmanagerSink(config, bed.http(), clock);
        Incident open = outage().key(IncidentKeys.checkOutage(WEB_EDGE_1, STARTED)).title("edge-1/web is down")
                .service(Optional.empty()).checks(WEB_EDGE_1).priority(Level.LOW, Level.LOW, Priority.P4)
                .started(STARTED).detected(DETECTED).detail("connection refused")
                .labels(Map.of("generator_url", "https://vigil.example/incidents/1")).openedJournalIndex(7).build();

        assertThat(send(sink, IncidentEvent.of(IncidentEventType.OPENED, open)))
                .isInstanceOf(SendResult.Delivered.class);

        AlertmanagerReceiver.Alert alert = alertmanager.alert(open.key()).orElseThrow();
        assertThat(alert.labels()).isEqualTo(Map.of("alertname", "VigilIncident", "vigil_key", open.key(),
                "kind", "outage", "check", "edge-1/web", "severity", "page-me-not", "priority", "P4"));
        assertThat(alert.annotations()).isEqualTo(Map.of("summary", "edge-1/web is down",
                "description", "connection refused\nchecks: edge-1/web", "vigil_id", open.id(),
                "started_at", "2026-03-01T10:00:00Z", "detected_at", "2026-03-01T10:00:15Z"));
        assertThat(alert.generatorUrl()).hasValue("https://vigil.example/incidents/1");
    }

    @Test
    void aResolutionStampedAheadOfTheSinksClockStillResolvesTheAlertNow() throws Exception {
        AlertmanagerSink sink = sink(Optional.empty());
        Incident open = serviceOutage();
        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));
        // The agent that saw the recovery runs 30 s ahead of the collector.
        Incident resolved = open.resolve(now.get().toEpochMilli() + 30_000, "recovered");

        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved)))
                .isInstanceOf(SendResult.Delivered.class);

        AlertmanagerReceiver.Alert alert = alertmanager.alert(open.key()).orElseThrow();
        assertThat(alert.resolved()).isTrue();
        assertThat(alert.endsAt()).isEqualTo(now.get());
    }

    @Test
    void anAlertThatIsNotPostedAgainWithinTheResolveTimeoutResolvesByItself() throws Exception {
        AlertmanagerSink sink = sink(Optional.empty());
        Incident open = serviceOutage();
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, open);
        assertThat(sink.resendWhileOpen()).hasValue(Duration.ofMinutes(1));
        send(sink, opened);

        // Re-sent every minute, as the outbox does with resendWhileOpen(), it outlives the 5-minute timeout.
        for (int minute = 1; minute <= 10; minute++) {
            now.set(now.get().plusSeconds(60));
            send(sink, opened);
        }
        assertThat(alertmanager.alert(open.key()).orElseThrow().resolved()).isFalse();

        // Not re-sent, Alertmanager resolves it although the incident is still open.
        now.set(now.get().plus(AlertmanagerReceiver.DEFAULT_RESOLVE_TIMEOUT).plusSeconds(1));
        assertThat(alertmanager.alert(open.key()).orElseThrow().resolved()).isTrue();
        assertThat(alertmanager.activeAlerts()).isEmpty();

        // The next re-send fires it again: a second notification for the same incident.
        send(sink, opened);
        assertThat(alertmanager.alert(open.key()).orElseThrow().firings()).isEqualTo(2);
    }

    @Test
    void anAlertAlertmanagerRefusesIsRejectedWithItsMessage() throws Exception {
        AlertmanagerSink sink = sink(Optional.empty());
        // Nanoseconds taken for milliseconds: a start 56 million years ahead, which RFC 3339 cannot write.
        Incident malformed = serviceOutage(STARTED * 1_000_000);

        SendResult result = send(sink, IncidentEvent.of(IncidentEventType.OPENED, malformed));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class,
                rejected -> assertThat(rejected.error()).startsWith("HTTP 400: ").contains("parsing time"));
        assertThat(alertmanager.alerts()).isEmpty();
    }

    @Test
    void anUnavailableOrThrottlingAlertmanagerIsRetriedLaterWithItsRetryAfter() throws Exception {
        AlertmanagerSink sink = sink(Optional.empty());
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, serviceOutage());
        alertmanager.failNext(1, 503);
        alertmanager.failNext(1, 429, Optional.of(Duration.ofSeconds(7)));

        assertThat(send(sink, opened)).isInstanceOfSatisfying(SendResult.Retry.class,
                retry -> assertThat(retry.error()).startsWith("HTTP 503"));
        assertThat(send(sink, opened)).isInstanceOfSatisfying(SendResult.Retry.class,
                retry -> assertThat(retry.retryAfter()).hasValue(Duration.ofSeconds(7)));
        assertThat(alertmanager.alerts()).isEmpty();

        assertThat(send(sink, opened)).isEqualTo(new SendResult.Delivered(200));
        assertThat(alertmanager.alerts()).hasSize(1);
    }

    @Test
    void sendsTheConfiguredBearerTokenAndNeverPutsItInAResult() throws Exception {
        alertmanager.requireBearerToken("s3cret-token");
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, serviceOutage());

        assertThat(send(sink(Optional.of(Secret.of("s3cret-token"))), opened)).isEqualTo(new SendResult.Delivered(200));
        SendResult wrong = send(sink(Optional.of(Secret.of("stale-token"))), opened);

        assertThat(wrong).isInstanceOfSatisfying(SendResult.Rejected.class,
                rejected -> assertThat(rejected.error()).startsWith("HTTP 401").doesNotContain("stale-token"));
        assertThat(alertmanager.posts().get(0).headers()).containsEntry("authorization", "Bearer s3cret-token");
    }

    @Test
    void anAlertCarriesTheFirstFailureAsAOneLineAnnotation() throws Exception {
        AlertmanagerSink sink = new AlertmanagerSink(new SinkConfig.Alertmanager(SinkSettings.named("am"),
                alertmanager.url(), Duration.ofMinutes(1), Map.of(), Optional.empty()), bed.http(), clock,
                SinkTestBed.EVIDENCE);
        Incident open = serviceOutage();

        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));

        assertThat(alertmanager.alert(open.key()).orElseThrow().annotations())
                .containsEntry("evidence", SinkTestBed.FIRST_FAILURE_LINE);
    }

    private AlertmanagerSink sink(Optional<Secret> token) {
        return new AlertmanagerSink(new SinkConfig.Alertmanager(SinkSettings.named("am"), alertmanager.url(),
                Duration.ofMinutes(1), Map.of(), token), bed.http(), clock);
    }

    private static Incident serviceOutage() {
        return serviceOutage(STARTED);
    }

    private static Incident serviceOutage(long startedEpochMillis) {
        return outage().key(IncidentKeys.serviceOutage("checkout", startedEpochMillis)).started(startedEpochMillis)
                .detected(DETECTED).priority(Level.HIGH, Level.MEDIUM, Priority.P2).detail("timed out after 5 s")
                .labels(Map.of()).build();
    }
}
