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
import dev.vigil.testsupport.sinks.SlackReceiver;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Slack sink against a loopback incoming webhook that answers and validates blocks as Slack does. */
class SlackSinkTest {
    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    SlackReceiver slack;
    TestClock clock;

    @BeforeEach
    void startSlack() throws IOException {
        slack = SlackReceiver.start();
        clock = new TestClock(STARTED + 20_000);
    }

    @AfterEach
    void stopSlack() {
        slack.close();
    }

    @Test
    void postsAnOpenedIncidentAsAHeaderAndFieldsSlackAccepts() throws Exception {
        SendResult result = await(sink(slack.webhookUrl()).send(IncidentEvent.of(IncidentEventType.OPENED,
                openIncident("checkout is down"))));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        Map<String, Object> message = slack.posted().get(0).json();
        assertThat((String) message.get("text")).startsWith(":red_circle: P1 opened: checkout is down")
                .contains("service/checkout@" + STARTED);
        List<?> blocks = (List<?>) message.get("blocks");
        assertThat(blocks).hasSize(2);
        assertThat(text(blocks.get(0))).isEqualTo(":red_circle: P1 opened: checkout is down");
        assertThat(fields(blocks.get(1))).containsExactly(
                "*Service*\ncheckout",
                "*Priority*\nP1",
                "*Status*\nopen",
                "*Started*\n<!date^1709287200^{date_short_pretty} {time_secs}|2024-03-01T10:00:00Z>",
                "*Detected*\n<!date^1709287215^{date_short_pretty} {time_secs}|2024-03-01T10:00:15Z>",
                "*Checks*\nedge-1/web, edge-2/web",
                "*Detail*\nTIMEOUT: no answer within 5 s",
                "*Key*\n`service/checkout@" + STARTED + "`");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            UPDATED  | :large_orange_circle: P1 updated: checkout is down | *Status*\\nopen, acknowledged by ana
            REMINDER | ':alarm_clock: P1 still open: checkout is down'    | *Status*\\nopen
            RESOLVED | :large_green_circle: Resolved: checkout is down    | *Duration*\\n12m 34s
            """)
    void postsEveryEventTypeWithItsOwnEmoji(IncidentEventType type, String header, String field) throws Exception {
        SendResult result = await(sink(slack.webhookUrl()).send(event(type)));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        List<?> blocks = (List<?>) slack.posted().get(0).json().get("blocks");
        assertThat(text(blocks.get(0))).isEqualTo(header);
        assertThat(fields(blocks.get(1))).contains(field.replace("\\n", "\n"));
    }

    @Test
    void keepsALongTitleWithinTheHeaderLimitAndEscapesMarkup() throws Exception {
        String title = "<!channel> checkout & payments are down " + "x".repeat(300);

        SendResult result = await(sink(slack.webhookUrl()).send(IncidentEvent.of(IncidentEventType.OPENED,
                openIncident(title))));

        assertThat(result).isEqualTo(new SendResult.Delivered(200));
        Map<String, Object> message = slack.posted().get(0).json();
        String header = text(((List<?>) message.get("blocks")).get(0));
        assertThat(header).hasSize(SlackSink.MAX_HEADER_CHARS).endsWith("…");
        assertThat((String) message.get("text")).startsWith(":red_circle: P1 opened: &lt;!channel&gt; checkout &amp; "
                + "payments");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            a header over 150 characters | invalid_blocks  | {"blocks":[{"type":"header","text":{"type":"plain_text","text":"%1$s"}}]}
            a header in mrkdwn           | invalid_blocks  | {"blocks":[{"type":"header","text":{"type":"mrkdwn","text":"t"}}]}
            eleven section fields        | invalid_blocks  | {"blocks":[{"type":"section","fields":[%2$s]}]}
            an unknown block type        | invalid_blocks  | {"blocks":[{"type":"headline","text":"t"}]}
            neither text nor blocks      | no_text         | {"username":"vigil"}
            a body that is not JSON      | invalid_payload | {"text":"t"
            """)
    void slackRefusesMessagesThatBreakItsRules(String what, String error, String template) throws Exception {
        String field = "{\"type\":\"mrkdwn\",\"text\":\"f\"}";
        String body = template.formatted("x".repeat(151), String.join(",", Collections.nCopies(11, field)));

        SendResult result = await(bed.http().send(SinkRequest.json(HttpMethod.POST, slack.webhookUrl(), Map.of(),
                Optional.of(Buffer.buffer(body)), Duration.ofSeconds(5))).map(response -> HttpVerdict.of(response,
                clock)));

        assertThat(result).isEqualTo(new SendResult.Rejected("HTTP 400: " + error));
    }

    @Test
    void retriesWhenRateLimitedAfterTheSecondsSlackAsks() throws Exception {
        slack.rateLimitNext(1, 30);
        SlackSink sink = sink(slack.webhookUrl());

        SendResult first = await(sink.send(event(IncidentEventType.OPENED)));
        SendResult second = await(sink.send(event(IncidentEventType.OPENED)));

        assertThat(first).isEqualTo(new SendResult.Retry("HTTP 429: rate_limited",
                Optional.of(Duration.ofSeconds(30))));
        assertThat(second).isEqualTo(new SendResult.Delivered(200));
        assertThat(slack.posted()).hasSize(1);
    }

    @Test
    void retriesSlacksServerError() throws Exception {
        slack.failNext(1);

        SendResult result = await(sink(slack.webhookUrl()).send(event(IncidentEventType.OPENED)));

        assertThat(result).isEqualTo(new SendResult.Retry("HTTP 500: rollup_error", Optional.empty()));
    }

    @Test
    void disablesTheSinkWhenTheChannelIsArchived() throws Exception {
        slack.archiveChannel();

        SendResult result = await(sink(slack.webhookUrl()).send(event(IncidentEventType.OPENED)));

        assertThat(result).isEqualTo(new SendResult.Gone("HTTP 410: channel_is_archived"));
    }

    @Test
    void deadLettersARevokedWebhook() throws Exception {
        slack.revoke();

        SendResult result = await(sink(slack.webhookUrl()).send(event(IncidentEventType.OPENED)));

        assertThat(result).isEqualTo(new SendResult.Rejected("HTTP 403: invalid_token"));
    }

    @Test
    void deadLettersAWrongWebhookUrlWithoutShowingIt() throws Exception {
        URI wrong = slack.url("/services/T0VIGIL/B0TEST/notTheRightSecret");

        SendResult result = await(sink(wrong).send(event(IncidentEventType.OPENED)));

        assertThat(result).isEqualTo(new SendResult.Rejected("HTTP 404: no_service"));
        assertThat(slack.posted()).isEmpty();
    }

    @Test
    void neverShowsTheWebhookUrlInAnError() throws Exception {
        try (SinkHttp guarded = new SinkHttp(bed.vertx(), EgressPolicy.DEFAULT)) {
            SlackSink sink = new SlackSink(new SinkConfig.Slack(SinkSettings.named("chat"),
                    Secret.of(slack.webhookUrl().toString())), guarded, clock);

            SendResult result = await(sink.send(event(IncidentEventType.OPENED)));

            assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class,
                    rejected -> assertThat(rejected.error()).doesNotContain(slack.secretPath())
                            .doesNotContain("B0TEST"));
            assertThat(slack.requests()).isEmpty();
        }
    }

    @Test
    void anOpeningNamesTheFirstFailureInOneField() throws Exception {
        SlackSink sink = new SlackSink(new SinkConfig.Slack(SinkSettings.named("chat"),
                Secret.of(slack.webhookUrl().toString())), bed.http(), clock, SinkTestBed.EVIDENCE);

        await(sink.send(IncidentEvent.of(IncidentEventType.OPENED, openIncident("checkout is down"))));

        List<?> blocks = (List<?>) slack.posted().get(0).json().get("blocks");
        assertThat(fields(blocks.get(1))).contains("*Evidence*\n" + SinkTestBed.FIRST_FAILURE_LINE);
    }

    private SlackSink sink(URI url) {
        return new SlackSink(new SinkConfig.Slack(SinkSettings.named("chat"), Secret.of(url.toString())), bed.http(), clock);
    }

    private static String text(Object block) {
        return (String) ((Map<?, ?>) ((Map<?, ?>) block).get("text")).get("text");
    }

    private static List<String> fields(Object block) {
        return ((List<?>) ((Map<?, ?>) block).get("fields")).stream()
                .map(field -> (String) ((Map<?, ?>) field).get("text"))
                .toList();
    }

    private static IncidentEvent event(IncidentEventType type) {
        return eventOf(type, openIncident("checkout is down"));
    }

    private static Incident openIncident(String title) {
        return outage().title(title).checks(new CheckKey("edge-1", "web"), new CheckKey("edge-2", "web")).build();
    }
}
