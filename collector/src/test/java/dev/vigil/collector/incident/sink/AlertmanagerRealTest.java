package dev.vigil.collector.incident.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.vigil.collector.incident.sink.SinkTestBed.outage;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.collector.config.SinkConfig;
import dev.vigil.collector.config.SinkSettings;
import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentEvent;
import dev.vigil.collector.incident.IncidentEventType;
import dev.vigil.collector.incident.IncidentKeys;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.testsupport.prometheus.AlertmanagerProcess;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Alertmanager sink against the real Alertmanager ({@code prometheus-alertmanager} from Debian, which
 * {@code ./vigil test} installs), routing {@code alertname="VigilIncident"} to a webhook receiver as the
 * sink's documentation shows, grouped per incident. Skipped when the executable is not on the PATH.
 */
class AlertmanagerRealTest {
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final CheckKey WEB_EDGE_1 = new CheckKey("edge-1", "web");
    // Each test's incident starts at a different millisecond, so each has its own key and its own group.
    private static final AtomicLong STARTS = new AtomicLong(System.currentTimeMillis() - 60_000);

    @TempDir
    static Path dir;

    @RegisterExtension
    static final SinkTestBed bed = new SinkTestBed();

    private static RecordingWebhookReceiver webhook;
    private static AlertmanagerProcess alertmanager;
    private static AlertmanagerSink sink;
    private static final HttpClient api = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void startAlertmanager() throws Exception {
        assumeTrue(AlertmanagerProcess.executable().isPresent(), AlertmanagerProcess.EXECUTABLE + " is not on the "
                + "PATH, so the tests against the real Alertmanager are skipped: ./vigil test installs it, or "
                + "apt-get install prometheus-alertmanager");
        webhook = RecordingWebhookReceiver.start();
        alertmanager = AlertmanagerProcess.start("""
                route:
                  receiver: nobody
                  routes:
                    - matchers: ['alertname="VigilIncident"']
                      receiver: vigil-hook
                      group_by: [vigil_key]
                      group_wait: 0s
                      group_interval: 1s
                      repeat_interval: 1h
                receivers:
                  - name: nobody
                  - name: vigil-hook
                    webhook_configs:
                      - url: %s
                        send_resolved: true
                """.formatted(webhook.url("/alertmanager")), dir);
        sink = new AlertmanagerSink(new SinkConfig.Alertmanager(SinkSettings.named("am"), alertmanager.url(),
                Duration.ofMinutes(1), Map.of(), Optional.empty()), bed.http(), InstantSource.system());
    }

    @AfterAll
    static void stopAlertmanager() throws Exception {
        if (alertmanager != null) {
            alertmanager.close();
        }
        if (webhook != null) {
            webhook.close();
        }
    }

    @Test
    void anOpenedIncidentFiresOneAlertWithOurLabelsAndItsResolutionResolvesIt() throws Exception {
        Incident open = serviceOutage(STARTS.incrementAndGet());

        assertThat(send(IncidentEvent.of(IncidentEventType.OPENED, open))).isEqualTo(new SendResult.Delivered(200));

        Map<String, Object> expectedLabels = Map.of("alertname", "VigilIncident", "vigil_key", open.key(),
                "kind", "outage", "service", "checkout", "severity", "critical", "priority", "P2");
        JsonArray active = activeAlerts(open.key());
        assertThat(active).as(alertmanager.logTail(20)).hasSize(1);
        assertThat(active.getJsonObject(0).getJsonObject("labels").getMap()).isEqualTo(expectedLabels);
        assertThat(active.getJsonObject(0).getJsonObject("status").getString("state")).isEqualTo("active");
        assertThat(active.getJsonObject(0).getJsonObject("annotations").getString("summary"))
                .isEqualTo("checkout is down");
        JsonObject firing = firstNotification(open.key(), "firing");
        assertThat(firing.getJsonArray("alerts").getJsonObject(0).getJsonObject("labels").getMap())
                .isEqualTo(expectedLabels);

        Incident resolved = open.resolve(System.currentTimeMillis() - 1_000, "recovered");
        assertThat(send(IncidentEvent.of(IncidentEventType.RESOLVED, resolved)))
                .isEqualTo(new SendResult.Delivered(200));

        assertThat(activeAlerts(open.key())).isEmpty();
        JsonObject resolution = firstNotification(open.key(), "resolved");
        assertThat(resolution.getJsonArray("alerts").getJsonObject(0).getString("status")).isEqualTo("resolved");
        assertThat(resolution.getJsonArray("alerts").getJsonObject(0).getJsonObject("labels").getMap())
                .isEqualTo(expectedLabels);
    }

    @Test
    void anOpeningSentThreeTimesIsNotifiedOnce() throws Exception {
        Incident open = serviceOutage(STARTS.incrementAndGet());
        IncidentEvent opened = IncidentEvent.of(IncidentEventType.OPENED, open);

        assertThat(send(opened)).isInstanceOf(SendResult.Delivered.class);
        await().atMost(DEADLINE).until(() -> notifications(open.key(), "firing").size() == 1);
        // A retry whose answer was lost, then a resend while open: the same labels again.
        assertThat(send(opened)).isInstanceOf(SendResult.Delivered.class);
        assertThat(send(opened)).isInstanceOf(SendResult.Delivered.class);

        // Three group intervals pass without a second notification: Alertmanager deduplicated by labels.
        await().during(Duration.ofSeconds(3)).atMost(DEADLINE)
                .until(() -> notifications(open.key(), "firing").size() == 1);
        assertThat(activeAlerts(open.key())).hasSize(1);
    }

    @Test
    void anAlertAlertmanagerRefusesIsRejectedWithItsOwnMessage() throws Exception {
        // Nanoseconds taken for milliseconds: a start 56 million years ahead, which RFC 3339 cannot write.
        Incident malformed = serviceOutage(STARTS.incrementAndGet() * 1_000_000);

        SendResult result = send(IncidentEvent.of(IncidentEventType.OPENED, malformed));

        assertThat(result).isInstanceOfSatisfying(SendResult.Rejected.class, rejected -> assertThat(rejected.error())
                .startsWith("HTTP 400: ").contains("parsing time"));
        assertThat(activeAlerts(malformed.key())).isEmpty();
    }

    private static Incident serviceOutage(long startedEpochMillis) {
        return outage().key(IncidentKeys.serviceOutage("checkout", startedEpochMillis)).checks(WEB_EDGE_1)
                .priority(Level.HIGH, Level.MEDIUM, Priority.P2).started(startedEpochMillis)
                .detected(System.currentTimeMillis()).detail("timed out after 5 s").labels(Map.of()).build();
    }

    private static SendResult send(IncidentEvent event) throws Exception {
        return SinkTestBed.send(sink, event);
    }

    /** What Alertmanager's API lists as active (not resolved, silenced or inhibited) for {@code key}. */
    private static JsonArray activeAlerts(String key) throws Exception {
        String filter = URLEncoder.encode("vigil_key=\"" + key + "\"", StandardCharsets.UTF_8);
        URI url = URI.create(alertmanager.url() + "/api/v2/alerts?active=true&inhibited=false&silenced=false&filter="
                + filter);
        HttpResponse<String> response = api.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return new JsonArray(response.body());
    }

    /** The first webhook notification for {@code key}'s group with {@code status}, once it has come. */
    private static JsonObject firstNotification(String key, String status) {
        return await().atMost(DEADLINE).until(() -> notifications(key, status), list -> !list.isEmpty()).get(0);
    }

    /** The webhook notifications Alertmanager sent for {@code key}'s group with {@code status}. */
    private static List<JsonObject> notifications(String key, String status) {
        return webhook.requests().stream()
                .map(request -> new JsonObject(request.body()))
                .filter(notification -> key.equals(notification.getJsonObject("groupLabels").getString("vigil_key")))
                .filter(notification -> status.equals(notification.getString("status")))
                .toList();
    }
}
