package dev.vigil.collector.incident.sink;

import static dev.vigil.collector.incident.sink.SinkTestBed.STARTED;
import static dev.vigil.collector.incident.sink.SinkTestBed.await;
import static dev.vigil.collector.incident.sink.SinkTestBed.eventOf;
import static dev.vigil.collector.incident.sink.SinkTestBed.outage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.TestClock;
import dev.vigil.collector.config.Secret;
import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.config.SinkSettings;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.delivery.EgressPolicy;
import dev.vigil.collector.incident.delivery.HttpVerdict;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.incident.delivery.SinkHttp;
import dev.vigil.collector.incident.delivery.SinkRequest;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.testsupport.sinks.TeamsReceiver;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Teams sink against a loopback connector that answers as Teams does, its "200 but failed" included. */
class TeamsSinkTest {
    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    TeamsReceiver teams;
    TestClock clock;

    @BeforeEach
    void startTeams() throws IOException {
        teams = TeamsReceiver.start();
        clock = new TestClock(STARTED + 20_000);
    }

    @AfterEach
    void stopTeams() {
        teams.close();
    }

    @Test
    void postsAnOpenedIncidentAsAMessageCardWithItsFacts() throws Exception {
        SendResult result = await(sink(teams.webhookUrl()).send(event(IncidentEventType.OPENED)));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        TeamsReceiver.Request request = teams.posted().get(0);
        assertThat(request.answer()).isEqualTo("1");
        Map<String, Object> card = request.json();
        assertThat(card).containsEntry("@type", "MessageCard")
                .containsEntry("@context", "https://schema.org/extensions")
                .containsEntry("summary", "P1 opened: checkout is down")
                .containsEntry("title", "P1 opened: checkout is down")
                .containsEntry("themeColor", "D13438");
        Map<?, ?> section = (Map<?, ?>) ((List<?>) card.get("sections")).get(0);
        assertThat(section.get("activityTitle")).isEqualTo("checkout is down");
        assertThat(facts(section)).containsExactly(
                Map.entry("Service", "checkout"),
                Map.entry("Priority", "P1"),
                Map.entry("Status", "open"),
                Map.entry("Started", "2024-03-01T10:00:00Z"),
                Map.entry("Detected", "2024-03-01T10:00:15Z"),
                Map.entry("Checks", "edge-1/web, edge-2/web"),
                Map.entry("Detail", "TIMEOUT: no answer within 5 s"),
                Map.entry("Key", "service/checkout@" + STARTED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            UPDATED  | P1 updated: checkout is down    | F7630C | Status   | open, acknowledged by ana
            REMINDER | P1 still open: checkout is down | FFB900 | Status   | open
            RESOLVED | Resolved: checkout is down      | 2EB886 | Duration | 12m 34s
            """)
    void postsEveryEventTypeWithItsOwnColour(IncidentEventType type, String title, String colour, String fact,
            String value) throws Exception {
        SendResult result = await(sink(teams.webhookUrl()).send(event(type)));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        Map<String, Object> card = teams.posted().get(0).json();
        assertThat(card).containsEntry("title", title).containsEntry("themeColor", colour);
        assertThat(facts((Map<?, ?>) ((List<?>) card.get("sections")).get(0))).containsEntry(fact, value);
    }

    @Test
    void countsAWorkflowsWebhooksEmptyAcceptedAsDelivered() throws Exception {
        try (TeamsReceiver workflows = TeamsReceiver.startWorkflows()) {
            SendResult result = await(sink(workflows.webhookUrl()).send(event(IncidentEventType.OPENED)));

            assertThat(result).isEqualTo(new SendResult.Delivered(202));
            assertThat(workflows.posted()).hasSize(1);
        }
    }

    @Test
    void deadLettersACardTheConnectorFailedToDeliverDespiteAnswering200() throws Exception {
        teams.failInBodyNext(1, 413);

        SendResult result = await(sink(teams.webhookUrl()).send(event(IncidentEventType.OPENED)));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> assertThat(rejected.error())
                .startsWith("HTTP 200: Webhook message delivery failed with error: Microsoft Teams endpoint returned "
                        + "HTTP error 413"));
        assertThat(teams.posted()).isEmpty();
    }

    @Test
    void keepsACardWithAHugeTitleDetailAndCheckListWithinTheConnectorsSizeLimit() throws Exception {
        SendResult result = await(sink(teams.webhookUrl()).send(IncidentEvent.of(IncidentEventType.OPENED,
                incident("t".repeat(20_000), "d".repeat(20_000), 2_000))));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        TeamsReceiver.Request request = teams.posted().get(0);
        assertThat(request.body().length()).isLessThan(TeamsReceiver.MAX_CARD_BYTES);
        assertThat((String) request.json().get("title")).hasSize(TeamsSink.MAX_TITLE_CHARS).endsWith("…");
    }

    @Test
    void retriesWhenTheConnectorSaysInItsBodyThatTheChannelThrottled() throws Exception {
        teams.throttleInBodyNext(1);
        TeamsSink sink = sink(teams.webhookUrl());

        SendResult first = await(sink.send(event(IncidentEventType.OPENED)));
        SendResult second = await(sink.send(event(IncidentEventType.OPENED)));

        assertThat(first).isInstanceOfSatisfying(SendResult.Retry.class, retry -> {
            assertThat(retry.error()).contains("HTTP error 429");
            assertThat(retry.retryAfter()).isEmpty();
        });
        assertThat(second).isEqualTo(new SendResult.Delivered(200));
        assertThat(teams.posted()).hasSize(1);
    }

    @Test
    void retriesA429AfterTheSecondsTeamsAsks() throws Exception {
        teams.throttleNext(1, 15);

        SendResult result = await(sink(teams.webhookUrl()).send(event(IncidentEventType.OPENED)));

        assertThat(result).isEqualTo(new SendResult.Retry("HTTP 429: Microsoft Teams endpoint returned HTTP error 429",
                Optional.of(Duration.ofSeconds(15))));
    }

    @Test
    void deadLettersAWrongWebhookUrlWithoutShowingIt() throws Exception {
        URI wrong = teams.url("/webhookb2/not-the-right-one/IncomingWebhook/x/y");

        SendResult result = await(sink(wrong).send(event(IncidentEventType.OPENED)));

        assertThat(result).isEqualTo(new SendResult.Rejected("HTTP 404"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a card with neither summary nor text | Summary or Text is required.                      | {"@type":"MessageCard","title":"t"}
            a body that is not JSON              | Bad payload received by generic incoming webhook. | {"@type":"MessageCard"
            facts that are not name and value    | Bad payload received by generic incoming webhook. | {"summary":"s","sections":[{"facts":[{"name":"n"}]}]}
            """)
    void teamsRefusesCardsThatBreakItsRules(String what, String error, String body) throws Exception {
        SendResult result = await(bed.http().send(SinkRequest.json(HttpMethod.POST, teams.webhookUrl(), Map.of(),
                Optional.of(Buffer.buffer(body)), Duration.ofSeconds(5))).map(response -> HttpVerdict.of(response,
                clock)));

        assertThat(result).isEqualTo(new SendResult.Rejected("HTTP 400: " + error));
    }

    @Test
    void neverShowsTheWebhookUrlInAnError() throws Exception {
        try (SinkHttp guarded = new SinkHttp(bed.vertx(), EgressPolicy.DEFAULT)) {
            TeamsSink sink = new TeamsSink(new SinkConfig.Teams(SinkSettings.named("ops"),
                    Secret.of(teams.webhookUrl().toString())), guarded, clock);

            SendResult result = await(sink.send(event(IncidentEventType.OPENED)));

            assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class,
                    rejected -> assertThat(rejected.error()).doesNotContain(teams.secretPath())
                            .doesNotContain("IncomingWebhook"));
            assertThat(teams.requests()).isEmpty();
        }
    }

    @Test
    void anOpeningNamesTheFirstFailureInOneFact() throws Exception {
        TeamsSink sink = new TeamsSink(new SinkConfig.Teams(SinkSettings.named("ops"),
                Secret.of(teams.webhookUrl().toString())), bed.http(), clock, SinkTestBed.EVIDENCE);

        await(sink.send(event(IncidentEventType.OPENED)));

        Map<?, ?> section = (Map<?, ?>) ((List<?>) teams.posted().get(0).json().get("sections")).get(0);
        assertThat(facts(section)).containsEntry("Evidence", SinkTestBed.FIRST_FAILURE_LINE);
    }

    private TeamsSink sink(URI url) {
        return new TeamsSink(new SinkConfig.Teams(SinkSettings.named("ops"), Secret.of(url.toString())), bed.http(), clock);
    }

    private static Map<String, String> facts(Map<?, ?> section) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (Object fact : (List<?>) section.get("facts")) {
            Map<?, ?> map = (Map<?, ?>) fact;
            facts.put((String) map.get("name"), (String) map.get("value"));
        }
        return facts;
    }

    private static IncidentEvent event(IncidentEventType type) {
        return eventOf(type, incident("checkout is down", "TIMEOUT: no answer within 5 s", 2));
    }

    private static Incident incident(String title, String detail, int checkCount) {
        List<CheckKey> checks = IntStream.rangeClosed(1, checkCount)
                .mapToObj(i -> new CheckKey("edge-" + i, "web"))
                .toList();
        return outage().title(title).detail(detail).checks(checks).build();
    }
}
