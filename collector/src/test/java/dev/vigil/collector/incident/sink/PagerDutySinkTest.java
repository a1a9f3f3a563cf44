package dev.vigil.collector.incident.sink;

import static dev.vigil.collector.incident.sink.SinkTestBed.STARTED;
import static dev.vigil.collector.incident.sink.SinkTestBed.outage;
import static dev.vigil.collector.incident.sink.SinkTestBed.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

import dev.vigil.collector.config.Secret;
import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.config.SinkSettings;
import dev.vigil.collector.incident.Acknowledgement;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.IncidentNote;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.testsupport.sinks.PagerDutyReceiver;
import dev.vigil.testsupport.sinks.PagerDutyReceiver.State;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The PagerDuty sink against a receiver that keeps incidents by dedup key as PagerDuty does. */
class PagerDutySinkTest {
    private static final String ROUTING_KEY = "R0UT1NGKEY0123456789abcdefABCDEF";
    private static final SendResult ACCEPTED = new SendResult.Delivered(202);

    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    private PagerDutyReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = PagerDutyReceiver.start(ROUTING_KEY);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void aTriggerThenAResolveLeaveExactlyOneResolvedIncident() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        Incident open = incident("service/checkout@" + STARTED);

        assertThat(send(sink, opened(open))).isEqualTo(ACCEPTED);
        assertThat(send(sink, resolved(open.resolve(STARTED + 60_000, "recovered"))))
                .isEqualTo(ACCEPTED);

        assertThat(receiver.incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.dedupKey()).isEqualTo(open.key());
            assertThat(incident.state()).isEqualTo(State.RESOLVED);
            assertThat(incident.summary()).isEqualTo("checkout is down");
            assertThat(incident.severity()).isEqualTo("critical");
        });
    }

    @Test
    void aTriggerCarriesThePayloadPagerDutyShowsOnTheAlert() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        Incident open = incident("service/checkout@" + STARTED);

        send(sink, opened(open));

        Map<String, Object> event = receiver.requests().get(0).json().orElseThrow();
        assertThat(event).containsEntry("event_action", "trigger").containsEntry("dedup_key", open.key());
        assertThat(event.get("payload")).asInstanceOf(MAP)
                .containsEntry("summary", "checkout is down")
                .containsEntry("source", "checkout")
                .containsEntry("severity", "critical")
                .containsEntry("timestamp", "2024-03-01T10:00:00Z")
                .containsEntry("component", "web")
                .containsEntry("group", "checkout")
                .containsEntry("class", "outage")
                .extractingByKey("custom_details").asInstanceOf(MAP)
                .containsEntry("key", open.key())
                .containsEntry("priority", "P1")
                .containsEntry("checks", List.of("edge-1/web"))
                .containsEntry("labels", Map.of("owner", "payments"));
    }

    @Test
    void aTitleLongerThanPagerDutyTakesIsCutTo1024Characters() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        Incident open = incident("service/checkout@" + STARTED, "x".repeat(5000));

        assertThat(send(sink, opened(open))).isEqualTo(ACCEPTED);

        assertThat(receiver.incidents().get(0).summary()).hasSize(1024).endsWith("…");
    }

    @Test
    void aTriggerRepeatedAfterItsResponseWasLostDoesNotOpenASecondIncident() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        Incident open = incident("service/checkout@" + STARTED);
        receiver.loseNextResponses(1);

        SendResult lost = send(sink, opened(open));
        SendResult retried = send(sink, opened(open));

        assertThat(lost).isInstanceOf(SendResult.Retry.class);
        assertThat(retried).isEqualTo(ACCEPTED);
        assertThat(receiver.incidentsFor(open.key())).singleElement().satisfies(incident -> {
            assertThat(incident.state()).isEqualTo(State.TRIGGERED);
            assertThat(incident.triggers()).isEqualTo(2);
        });
    }

    @Test
    void anEscalationWithoutAcknowledgementTriggersAgainIntoTheSameIncident() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        Incident open = incident("service/checkout@" + STARTED);
        Incident escalated = open.escalate(List.of(new CheckKey("edge-1", "web"), new CheckKey("edge-2", "web")),
                STARTED + 30_000, "escalated: edge-2/web down too");

        send(sink, opened(open));
        assertThat(send(sink, new IncidentEvent(IncidentEventType.UPDATED, 1, escalated)))
                .isEqualTo(ACCEPTED);

        assertThat(receiver.requests()).extracting(r -> r.json().orElseThrow().get("event_action"))
                .containsExactly("trigger", "trigger");
        assertThat(receiver.incidents()).singleElement().satisfies(incident -> {
            assertThat(incident.triggers()).isEqualTo(2);
            assertThat(incident.payload()).extractingByKey("custom_details")
                    .asInstanceOf(MAP)
                    .containsEntry("checks", List.of("edge-1/web", "edge-2/web"));
        });
    }

    @Test
    void anAcknowledgedUpdateSendsAcknowledge() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        Incident open = incident("service/checkout@" + STARTED);
        Incident acknowledged = open.acknowledge(new Acknowledgement(STARTED + 90_000, "alice", "api"));

        send(sink, opened(open));
        assertThat(send(sink, new IncidentEvent(IncidentEventType.UPDATED, 1, acknowledged)))
                .isEqualTo(ACCEPTED);

        Map<String, Object> update = receiver.requests().get(1).json().orElseThrow();
        assertThat(update).containsEntry("event_action", "acknowledge").containsEntry("dedup_key", open.key())
                .doesNotContainKey("payload");
        assertThat(receiver.incidents()).singleElement()
                .satisfies(incident -> assertThat(incident.state()).isEqualTo(State.ACKNOWLEDGED));
    }

    @Test
    void aReminderSendsNothingBecausePagerDutyRenotifiesByItself() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        Incident open = incident("service/checkout@" + STARTED);

        assertThat(send(sink, new IncidentEvent(IncidentEventType.REMINDER, 1, open)))
                .isInstanceOf(SendResult.Delivered.class);

        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void tooManyRequestsIsRetriedWithoutAWaitSincePagerDutySendsNoRetryAfter() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        receiver.failNext(1, 429);

        SendResult result = send(sink, opened(incident("service/checkout@" + STARTED)));

        assertThat(result).isInstanceOfSatisfying(SendResult.Retry.class, retry -> {
            assertThat(retry.error()).startsWith("HTTP 429");
            assertThat(retry.retryAfter()).isEmpty();
        });
        assertThat(receiver.incidents()).isEmpty();
    }

    @Test
    void aServerErrorIsRetried() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        receiver.failNext(1, 500);

        SendResult result = send(sink, opened(incident("service/checkout@" + STARTED)));

        assertThat(result).isInstanceOfSatisfying(SendResult.Retry.class,
                retry -> assertThat(retry.error()).startsWith("HTTP 500"));
    }

    @Test
    void aWrongRoutingKeyIsRejectedWithAMessageThatDoesNotShowTheKey() throws Exception {
        String wrongKey = "WRONGKEY0123456789abcdefABCDEF00";
        PagerDutySink sink = sink(wrongKey, receiver.url());

        SendResult result = send(sink, opened(incident("service/checkout@" + STARTED)));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.error()).startsWith("HTTP 400").contains("Invalid routing key");
            assertThat(rejected.error()).doesNotContain(wrongKey).doesNotContain(ROUTING_KEY);
        });
        assertThat(receiver.incidents()).isEmpty();
    }

    @Test
    void aTriggerAfterTheResolveOpensASecondIncidentWhichIsWhyTheOutboxNeverSendsOne() throws Exception {
        PagerDutySink sink = sink(ROUTING_KEY, receiver.url());
        Incident open = incident("service/checkout@" + STARTED);

        send(sink, opened(open));
        send(sink, resolved(open.resolve(STARTED + 60_000, "recovered")));
        // A late retry of the trigger, as an outbox without per-key ordering could deliver it.
        send(sink, opened(open));

        assertThat(receiver.incidentsFor(open.key())).extracting(PagerDutyReceiver.Incident::state)
                .containsExactly(State.RESOLVED, State.TRIGGERED);
    }

    @Test
    void aTriggerCarriesTheEvidenceOfTheFirstFailureInItsCustomDetails() throws Exception {
        PagerDutySink sink = new PagerDutySink(new SinkConfig.PagerDuty(SinkSettings.named("pd"), receiver.url(),
                Secret.of(ROUTING_KEY), Map.of()), bed.http(), InstantSource.system(), SinkTestBed.EVIDENCE);

        send(sink, opened(incident("service/checkout@" + STARTED)));

        Map<String, Object> event = receiver.requests().get(0).json().orElseThrow();
        assertThat(event.get("payload")).asInstanceOf(MAP).extractingByKey("custom_details").asInstanceOf(MAP)
                .extractingByKey("evidence").asInstanceOf(LIST).singleElement().asInstanceOf(MAP)
                .containsEntry("status_line", "HTTP/1.1 503 Service Unavailable")
                .containsEntry("remote_address", "127.0.0.1:8443");
    }

    private static PagerDutySink sink(String routingKey, URI url) {
        SinkConfig.PagerDuty config = new SinkConfig.PagerDuty(
                SinkSettings.named("pd"),
                url, Secret.of(routingKey), Map.of());
        return new PagerDutySink(config, bed.http(), InstantSource.system());
    }

    private static IncidentEvent opened(Incident incident) {
        return IncidentEvent.of(IncidentEventType.OPENED, incident);
    }

    private static IncidentEvent resolved(Incident incident) {
        return IncidentEvent.of(IncidentEventType.RESOLVED, incident);
    }

    private static Incident incident(String key) {
        return incident(key, "checkout is down");
    }

    private static Incident incident(String key, String title) {
        return outage().key(key).title(title).detected(STARTED + 15_204).detail("expected 2xx, got 503")
                .timeline(new IncidentNote(STARTED + 15_204, "opened")).openedJournalIndex(-1).build();
    }
}
