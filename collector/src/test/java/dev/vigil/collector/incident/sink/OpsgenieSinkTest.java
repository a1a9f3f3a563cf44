package dev.vigil.collector.incident.sink;

import static dev.vigil.collector.incident.sink.SinkTestBed.STARTED;
import static dev.vigil.collector.incident.sink.SinkTestBed.await;
import static dev.vigil.collector.incident.sink.SinkTestBed.outage;
import static dev.vigil.collector.incident.sink.SinkTestBed.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;

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
import dev.vigil.testsupport.sinks.OpsgenieReceiver;
import java.net.URI;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Opsgenie sink against a receiver with Opsgenie's asynchronous processing and alias de-duplication. */
class OpsgenieSinkTest {
    private static final String API_KEY = "eb243592-faa2-4ba2-a551q-1afdf565c889";
    private static final SendResult ACCEPTED = new SendResult.Delivered(202);
    private static final String KEY = "service/checkout@" + STARTED;

    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    private OpsgenieReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = OpsgenieReceiver.start(API_KEY);
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    @Test
    void anOpeningAndItsResolutionLeaveOneAlertOpenedAndClosed() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        Incident open = incident(KEY, "checkout is down");

        assertThat(send(sink, opened(open))).isEqualTo(ACCEPTED);
        assertThat(send(sink, resolved(open.resolve(STARTED + 60_000, "recovered"))))
                .isEqualTo(ACCEPTED);

        assertThat(receiver.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.alias()).isEqualTo(KEY);
            assertThat(alert.open()).isFalse();
            assertThat(alert.count()).isEqualTo(1);
            assertThat(alert.notes()).singleElement().asString()
                    .isEqualTo("Resolved by Vigil at 2024-03-01T10:01:00Z: recovered");
        });
    }

    @Test
    void aCreateCarriesAliasPriorityRespondersAndDetails() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());

        send(sink, opened(incident(KEY, "checkout is down")));

        OpsgenieReceiver.Request create = receiver.requests().get(0);
        assertThat(create.method()).isEqualTo("POST");
        assertThat(create.path()).isEqualTo("/v2/alerts");
        assertThat(create.headers()).containsEntry("authorization", "GenieKey " + API_KEY);
        assertThat(receiver.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.message()).isEqualTo("checkout is down");
            assertThat(alert.priority()).isEqualTo("P1");
            assertThat(alert.entity()).isEqualTo("checkout");
            assertThat(alert.source()).isEqualTo("vigil");
            assertThat(alert.tags()).containsExactly("vigil", "outage");
            assertThat(alert.responders()).containsExactly("ops");
            assertThat(alert.description()).startsWith("expected 2xx, got 503").contains("Checks: edge-1/web");
            assertThat(alert.details()).containsEntry("key", KEY).containsEntry("owner", "payments")
                    .containsEntry("checks", "edge-1/web");
        });
        assertThat(create.json().orElseThrow()).extractingByKey("responders").asInstanceOf(LIST)
                .containsExactly(Map.of("name", "ops", "type", "team"));
    }

    @Test
    void aMessageLongerThanOpsgenieTakesIsCutTo130Characters() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());

        SendResult result = send(sink, opened(incident(KEY, "y".repeat(300))));

        assertThat(result).isEqualTo(ACCEPTED);
        assertThat(receiver.alerts().get(0).message()).hasSize(130).endsWith("…");
    }

    @Test
    void aRepeatedCreateIsMergedByAliasIntoTheOpenAlertWithCountTwo() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        Incident open = incident(KEY, "checkout is down");

        send(sink, opened(open));
        send(sink, opened(open));

        assertThat(receiver.alertsFor(KEY)).singleElement().satisfies(alert -> {
            assertThat(alert.open()).isTrue();
            assertThat(alert.count()).isEqualTo(2);
        });
    }

    @Test
    void theSinkPollsTheRequestStatusUntilOpsgenieHasProcessedIt() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        receiver.processAfterPolls(3);

        SendResult result = send(sink, opened(incident(KEY, "checkout is down")));

        assertThat(result).isEqualTo(ACCEPTED);
        assertThat(receiver.requests()).extracting(r -> r.method() + " " + r.status()).containsExactly(
                "POST 202", "GET 404", "GET 404", "GET 404", "GET 200");
        assertThat(receiver.requests().get(1).path()).startsWith("/v2/alerts/requests/");
    }

    @Test
    void aRequestStillUnprocessedAfterThePollsIsRetriedAndTheRetryLandsOnTheSameAlert() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        Incident open = incident(KEY, "checkout is down");
        receiver.processAfterPolls(OpsgenieSink.MAX_STATUS_POLLS);

        SendResult first = send(sink, opened(open));
        receiver.processAfterPolls(0);
        SendResult retried = send(sink, opened(open));

        assertThat(first).isInstanceOfSatisfying(SendResult.Retry.class,
                retry -> assertThat(retry.error()).contains("not processed yet"));
        assertThat(retried).isEqualTo(ACCEPTED);
        assertThat(receiver.alertsFor(KEY)).singleElement()
                .satisfies(alert -> assertThat(alert.count()).isEqualTo(2));
    }

    @Test
    void aRequestWhoseProcessingFailedIsRejectedWithOpsgeniesStatusText() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        receiver.failNextProcessing("Integration [vigil] is disabled");

        SendResult result = send(sink, opened(incident(KEY, "checkout is down")));

        assertThat(result).isEqualTo(new SendResult.Rejected(
                "Opsgenie could not create alert " + KEY + ": Integration [vigil] is disabled"));
        assertThat(receiver.alerts()).isEmpty();
    }

    @Test
    void closingAnAlertThatDoesNotExistCountsAsDeliveredSinceNothingIsLeftOpen() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        Incident resolved = incident(KEY, "checkout is down").resolve(STARTED + 60_000, "recovered");

        assertThat(send(sink, resolved(resolved)))
                .isEqualTo(ACCEPTED);
        assertThat(receiver.alerts()).isEmpty();
    }

    @Test
    void anEscalationIsAddedAsANoteToTheAlert() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        Incident open = incident(KEY, "checkout is down");
        Incident escalated = open.escalate(List.of(new CheckKey("edge-1", "web"), new CheckKey("edge-2", "web")),
                STARTED + 30_000, "escalated: edge-2/web down too");

        send(sink, opened(open));
        assertThat(send(sink, new IncidentEvent(IncidentEventType.UPDATED, 1, escalated)))
                .isEqualTo(ACCEPTED);

        assertThat(receiver.requests().get(2).path()).isEqualTo("/v2/alerts/" + Incident.idOf(KEY) + "/notes");
        assertThat(receiver.requests().get(2).query()).isEqualTo("identifierType=alias");
        assertThat(receiver.alertsFor(KEY)).singleElement().satisfies(alert -> assertThat(alert.notes())
                .containsExactly("escalated: edge-2/web down too\nChecks: edge-1/web, edge-2/web"));
    }

    @Test
    void aReminderSendsNothing() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());

        assertThat(send(sink, new IncidentEvent(IncidentEventType.REMINDER, 1, incident(KEY, "checkout is down"))))
                .isInstanceOf(SendResult.Delivered.class);

        assertThat(receiver.requests()).isEmpty();
    }

    @Test
    void anAcknowledgementInOpsgenieIsReadBackWithWhoAndWhen() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        Incident open = incident(KEY, "checkout is down");
        send(sink, opened(open));
        assertThat(await(sink.readAcknowledgement(open))).isEmpty();

        receiver.acknowledge(KEY, "alice@example.com");

        OpsgenieReceiver.Alert alert = receiver.alertsFor(KEY).get(0);
        assertThat(await(sink.readAcknowledgement(open))).contains(new Acknowledgement(
                alert.createdAtEpochMillis() + alert.ackTimeMillis(), "alice@example.com", "og"));
    }

    @Test
    void noAcknowledgementIsReadForAnAlertOpsgenieDoesNotHave() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());

        assertThat(await(sink.readAcknowledgement(incident(KEY, "checkout is down")))).isEmpty();
        assertThat(receiver.requests()).singleElement().satisfies(r -> assertThat(r.status()).isEqualTo(404));
    }

    @Test
    void tooManyRequestsIsRetriedWithoutAWaitSinceOpsgenieSendsNoRetryAfter() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        receiver.rateLimitNext(1);

        SendResult result = send(sink, opened(incident(KEY, "checkout is down")));

        assertThat(result).isInstanceOfSatisfying(SendResult.Retry.class, retry -> {
            assertThat(retry.error()).startsWith("HTTP 429").contains("You are making too many requests!");
            assertThat(retry.retryAfter()).isEmpty();
        });
        assertThat(receiver.alerts()).isEmpty();
    }

    @Test
    void aWrongApiKeyIsRejectedWithAMessageThatDoesNotShowTheKey() throws Exception {
        String wrongKey = "0d1f2e3c-wrong-key-4b5a-9c8d7e6f5a4b";
        OpsgenieSink sink = sink(wrongKey, receiver.baseUrl());

        SendResult result = send(sink, opened(incident(KEY, "checkout is down")));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> {
            assertThat(rejected.error()).startsWith("HTTP 401").contains("Could not authenticate");
            assertThat(rejected.error()).doesNotContain(wrongKey).doesNotContain(API_KEY);
        });
    }

    @Test
    void jiraServiceManagementOperationsIsTheSameApiUnderItsOwnBasePath() throws Exception {
        try (OpsgenieReceiver jsm = OpsgenieReceiver.start(API_KEY, "/jsm/ops/integration")) {
            OpsgenieSink sink = sink(API_KEY, URI.create(jsm.baseUrl() + "/"));
            Incident open = incident(KEY, "checkout is down");

            assertThat(send(sink, opened(open)))
                    .isEqualTo(ACCEPTED);
            assertThat(send(sink, resolved(open.resolve(STARTED + 1, "up"))))
                    .isEqualTo(ACCEPTED);

            assertThat(jsm.requests()).allSatisfy(r -> assertThat(r.path()).startsWith("/jsm/ops/integration/v2/"));
            assertThat(jsm.alerts()).singleElement().satisfies(alert -> assertThat(alert.open()).isFalse());
        }
    }

    @Test
    void aCreateAfterTheCloseOpensANewAlertSinceOpsgenieDeduplicatesOnlyOpenAlerts() throws Exception {
        OpsgenieSink sink = sink(API_KEY, receiver.baseUrl());
        Incident open = incident(KEY, "checkout is down");

        send(sink, opened(open));
        send(sink, resolved(open.resolve(STARTED + 60_000, "recovered")));
        // A late retry of the create, as an outbox without per-key ordering could deliver it.
        send(sink, opened(open));

        assertThat(receiver.alertsFor(KEY)).extracting(OpsgenieReceiver.Alert::open).containsExactly(false, true);
    }

    @Test
    void aCreateCarriesTheFirstFailureAsFlatDetailsAndInTheDescription() throws Exception {
        OpsgenieSink sink = new OpsgenieSink(new SinkConfig.Opsgenie(SinkSettings.named("og"), receiver.baseUrl(),
                Secret.of(API_KEY), Map.of(), List.of("ops")), bed.http(), InstantSource.system(), SinkTestBed.EVIDENCE);

        send(sink, opened(incident("service/checkout@" + STARTED, "checkout is down")));

        assertThat(receiver.alerts()).singleElement().satisfies(alert -> {
            assertThat(alert.details()).containsEntry("evidence.status_line", "HTTP/1.1 503 Service Unavailable")
                    .containsEntry("evidence.check", "edge-1/web")
                    .containsEntry("evidence.at", "2024-03-01T10:00:00Z")
                    .containsEntry("evidence.body", "upstream down")
                    .doesNotContainKey("evidence.error");
            assertThat(alert.description()).contains("Evidence (first failure first):\n- HTTP/1.1 503 Service "
                    + "Unavailable at 2024-03-01T10:00:00Z (edge-1/web)\n  Remote address: 127.0.0.1:8443\n"
                    + "  Retry-After: 30\n  Body: upstream down");
        });
    }

    private static OpsgenieSink sink(String apiKey, URI baseUrl) {
        SinkConfig.Opsgenie config = new SinkConfig.Opsgenie(SinkSettings.named("og"), baseUrl, Secret.of(apiKey),
                Map.of(), List.of("ops"));
        return new OpsgenieSink(config, bed.http(), InstantSource.system());
    }

    private static IncidentEvent opened(Incident incident) {
        return IncidentEvent.of(IncidentEventType.OPENED, incident);
    }

    private static IncidentEvent resolved(Incident incident) {
        return IncidentEvent.of(IncidentEventType.RESOLVED, incident);
    }

    private static Incident incident(String key, String title) {
        return outage().key(key).title(title).detected(STARTED + 15_204).detail("expected 2xx, got 503")
                .timeline(new IncidentNote(STARTED + 15_204, "opened")).openedJournalIndex(-1).build();
    }
}
