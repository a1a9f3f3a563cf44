package dev.vigil.collector.incident.sink;

import static dev.vigil.collector.incident.sink.SinkTestBed.STARTED;
import static dev.vigil.collector.incident.sink.SinkTestBed.await;
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
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.testsupport.sinks.ServiceNowReceiver;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The ServiceNow sink against a Table API that, like the real one, lets a blind second create duplicate. */
class ServiceNowSinkTest {
    private static final String USER = "vigil";
    private static final String PASSWORD = "n0t-in-any-message";
    private static final Instant NOW = Instant.parse("2024-03-01T10:07:30Z");
    private static final InstantSource CLOCK = InstantSource.fixed(NOW);

    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    ServiceNowReceiver snow;

    @BeforeEach
    void startInstance() throws Exception {
        snow = ServiceNowReceiver.start(USER, PASSWORD, CLOCK);
    }

    @AfterEach
    void stopInstance() {
        snow.close();
    }

    @Test
    void opensOneRecordAndResolvesItWithTheCloseFields() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        Incident open = open("service/checkout@" + STARTED);

        assertThat(send(sink, IncidentEvent.of(IncidentEventType.OPENED, open)))
                .isEqualTo(new SendResult.Delivered(201));
        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open))))
                .isEqualTo(new SendResult.Delivered(200));

        List<ServiceNowReceiver.Record> records = snow.recordsWithCorrelation(open.key());
        assertThat(snow.records()).hasSize(1);
        assertThat(records).hasSize(1);
        ServiceNowReceiver.Record record = records.get(0);
        assertThat(record.field("short_description")).isEqualTo("checkout is down");
        assertThat(record.field("correlation_display")).isEqualTo("Vigil");
        assertThat(record.field("impact")).isEqualTo("1");
        assertThat(record.field("urgency")).isEqualTo("2");
        assertThat(record.field("assignment_group")).isEqualTo("Ops");
        assertThat(record.field("description")).contains("HTTP 503 from /health", "edge-1/web", "P2",
                "2024-03-01T10:00:00Z", open.key());
        assertThat(record.state()).isEqualTo("6");
        assertThat(record.field("close_code")).isEqualTo("Solved (Permanently)");
        assertThat(record.field("close_notes"))
                .startsWith("Resolved by Vigil: checkout recovered at 2024-03-01T10:05:00Z, outage 5m 0s");
    }

    @Test
    void createsOneRecordWhenTheResponseToTheFirstCreateWasLost() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, open("service/checkout@" + STARTED));
        snow.loseNextCreateResponse();

        assertThat(send(sink, opened)).isInstanceOf(SendResult.Retry.class);
        assertThat(snow.records()).hasSize(1);
        assertThat(send(sink, opened)).isEqualTo(new SendResult.Delivered(200));

        assertThat(snow.records()).hasSize(1);
        assertThat(snow.requests()).extracting(ServiceNowReceiver.Request::method)
                .containsExactly("GET", "POST", "GET");
    }

    @Test
    void createsAndThenResolvesTheRecordOfAnIncidentResolvedBeforeItsOpeningWasDelivered() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        Incident open = open("check/edge-1/web@" + STARTED);

        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open))))
                .isEqualTo(new SendResult.Delivered(200));

        assertThat(snow.records()).singleElement().satisfies(record -> {
            assertThat(record.field("correlation_id")).isEqualTo(open.key());
            assertThat(record.state()).isEqualTo("6");
            assertThat(record.field("close_notes")).startsWith("Resolved by Vigil: checkout recovered");
        });
    }

    @Test
    void leavesARecordThatIsAlreadyResolvedAsItIs() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        IncidentEvent resolved = IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open("service/checkout@1")));
        send(sink, resolved);

        assertThat(send(sink, resolved)).isEqualTo(new SendResult.Delivered(200));

        assertThat(snow.requests()).extracting(ServiceNowReceiver.Request::method)
                .containsExactly("GET", "POST", "PATCH", "GET");
        assertThat(snow.records()).hasSize(1);
    }

    @Test
    void readsBackTheAssigneeOfARecordInProgressAsItsAcknowledgement() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        Incident open = open("service/checkout@" + STARTED);
        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));
        assertThat(await(sink.readAcknowledgement(open))).isEmpty();

        snow.assign(snow.records().get(0).sysId(), "Beth Anglin");

        assertThat(await(sink.readAcknowledgement(open)))
                .contains(new Acknowledgement(NOW.toEpochMilli(), "Beth Anglin", "snow"));
    }

    @Test
    void rejectsWrongCredentialsWithoutShowingThePassword() throws Exception {
        String wrong = "wr0ng-pa55w0rd";
        ServiceNowSink sink = sink(wrong);

        SendResult result = send(sink, IncidentEvent.of(IncidentEventType.OPENED, open("service/checkout@1")));

        assertThat(result).isInstanceOf(SendResult.Rejected.class);
        String error = ((SendResult.Rejected) result).error();
        assertThat(error).contains("401", "User Not Authenticated")
                .doesNotContain(wrong)
                .doesNotContain(Base64.getEncoder().encodeToString((USER + ":" + wrong).getBytes(StandardCharsets.UTF_8)));
        assertThat(snow.records()).isEmpty();
    }

    @Test
    void retriesARateLimitedAttemptAfterTheInstancesRetryAfter() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, open("service/checkout@1"));
        snow.rateLimitNext(1, Duration.ofSeconds(30));

        SendResult result = send(sink, opened);

        assertThat(result).isInstanceOf(SendResult.Retry.class);
        assertThat(((SendResult.Retry) result).retryAfter()).contains(Duration.ofSeconds(30));
        assertThat(((SendResult.Retry) result).error()).startsWith("lookup: HTTP 429");
        assertThat(snow.records()).isEmpty();
        assertThat(send(sink, opened)).isEqualTo(new SendResult.Delivered(201));
        assertThat(snow.records()).hasSize(1);
    }

    @Test
    void retriesWhileTheInstanceAnswersServiceUnavailable() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, open("service/checkout@1"));
        snow.unavailableNext(1);
        SendResult result = send(sink, opened);

        assertThat(result).isInstanceOf(SendResult.Retry.class);
        assertThat(((SendResult.Retry) result).error()).startsWith("lookup: HTTP 503");
        assertThat(send(sink, opened)).isEqualTo(new SendResult.Delivered(201));
    }

    @Test
    void sendsNothingForAReminderSinceATicketStaysUntilResolved() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);

        SendResult result = send(sink, new IncidentEvent(IncidentEventType.REMINDER, 1, open("service/checkout@1")));

        assertThat(result).isEqualTo(new SendResult.Delivered(204));
        assertThat(snow.requests()).isEmpty();
    }

    @Test
    void addsAWorkNoteForAnUpdate() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        Incident open = open("service/checkout@" + STARTED);
        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));
        Incident escalated = open.escalate(List.of(new CheckKey("edge-1", "web"), new CheckKey("edge-2", "web")),
                STARTED + 60_000, "edge-2/web is down too");

        assertThat(send(sink, new IncidentEvent(IncidentEventType.UPDATED, 1, escalated)))
                .isEqualTo(new SendResult.Delivered(200));

        assertThat(snow.records()).singleElement().satisfies(record -> assertThat(record.workNotes())
                .singleElement().asString()
                .contains("Vigil update 1: edge-2/web is down too", "edge-1/web, edge-2/web",
                        "[" + open.key() + ":updated:1]"));
    }

    @Test
    void findsTheRecordOfAKeyLongerThanTheCorrelationIdColumn() throws Exception {
        ServiceNowSink sink = sink(PASSWORD);
        Incident open = open("budget_exhausted/" + "checkout-".repeat(10) + "/availability@" + STARTED);
        assertThat(open.key().length()).isGreaterThan(ServiceNowReceiver.CORRELATION_ID_LENGTH);

        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));
        assertThat(send(sink, IncidentEvent.of(IncidentEventType.RESOLVED, resolved(open))))
                .isEqualTo(new SendResult.Delivered(200));

        assertThat(snow.records()).singleElement().satisfies(record -> {
            assertThat(record.field("correlation_id")).startsWith("vigil-sha256:");
            assertThat(record.state()).isEqualTo("6");
        });
    }

    @Test
    void theRecordsDescriptionEndsWithTheEvidenceOfTheFirstFailure() throws Exception {
        ServiceNowSink sink = new ServiceNowSink(new SinkConfig.ServiceNow(SinkSettings.named("snow"),
                snow.instanceUrl(), USER, Secret.of(PASSWORD), ServiceNowReceiver.TABLE, Optional.of("Ops"), "6",
                "Solved (Permanently)"), bed.http(), CLOCK, SinkTestBed.EVIDENCE);
        Incident open = open("service/checkout@" + STARTED);

        send(sink, IncidentEvent.of(IncidentEventType.OPENED, open));

        assertThat(snow.recordsWithCorrelation(open.key()).get(0).field("description"))
                .contains("Vigil incident: " + open.key() + "\n\nEvidence (first failure first):\n"
                        + "- HTTP/1.1 503 Service Unavailable at 2024-03-01T10:00:00Z (edge-1/web)\n");
    }

    private ServiceNowSink sink(String password) {
        SinkConfig.ServiceNow config = new SinkConfig.ServiceNow(SinkSettings.named("snow"), snow.instanceUrl(), USER,
                Secret.of(password), ServiceNowReceiver.TABLE, Optional.of("Ops"), "6", "Solved (Permanently)");
        return new ServiceNowSink(config, bed.http(), CLOCK);
    }

    private static Incident open(String key) {
        return outage().key(key).priority(Level.HIGH, Level.MEDIUM, Priority.P2).detail("HTTP 503 from /health")
                .labels(Map.of()).build();
    }

    private static Incident resolved(Incident open) {
        return open.resolve(STARTED + 300_000, "recovered");
    }
}
