package dev.vigil.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vigil.testsupport.sinks.AlertmanagerReceiver;
import dev.vigil.testsupport.sinks.JiraReceiver;
import dev.vigil.testsupport.sinks.OpsgenieReceiver;
import dev.vigil.testsupport.sinks.PagerDutyReceiver;
import dev.vigil.testsupport.sinks.ServiceNowReceiver;
import dev.vigil.testsupport.webhook.RecordingWebhookReceiver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;
import org.assertj.core.api.SoftAssertions;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestReporter;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The issue's exactly-once test: a collector process with one sink of every kind, each pointed at its
 * loopback stand-in, goes through many outages of two services while it is killed with SIGKILL and
 * restarted on the same data directory at chosen points (right after a confirming or a recovering
 * sample was journaled, in the middle of the deliveries, while deliveries wait for a retry, after a
 * tool processed an event whose answer was lost, twice in a row). Afterwards every tool holds exactly
 * one incident per outage, resolved; every event a tool cannot deduplicate arrived at least once, a
 * second time only across a kill and at most once per incident in flight at it; and after a restart
 * Alertmanager is still re-sent the alerts that are firing, so it does not resolve them by itself.
 *
 * <p>Samples are posted to {@code /api/v1/samples} instead of coming from an agent, so the test decides
 * exactly where each outage starts and ends, and waits for each outage's opening to reach every tool
 * before it posts the recovery: an opening still waiting for a retry when its outage ends is cancelled
 * by design (a tool must never get a trigger after its resolve), and would leave nothing to count.
 */
class IncidentExactlyOnceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String AGENT = "synthetics";
    private static final String TOKEN = "e2e-samples-" + Long.toHexString(System.nanoTime());
    private static final List<String> SERVICES = List.of("checkout", "search");
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(50);
    /** How often a kill point is looked for: kills are meant to land while deliveries are in flight. */
    private static final Duration WATCH = Duration.ofMillis(5);
    private static final Duration QUIET = Duration.ofMillis(100);
    private static final Duration RESEND_EVERY = Duration.ofSeconds(1);

    /** What happens to the collector while one phase (the openings or the resolutions) of a round is delivered. */
    private enum Disruption {
        /** Nothing. */
        NONE,
        /** Some tools refuse their first requests (429, 503); the collector keeps running. */
        RETRIES,
        /** Killed as soon as the samples are journaled (the POST answered), before most deliveries. */
        KILL_AT_ONCE,
        /** Killed once one tool has received the first outage's event, while the others are on their way. */
        KILL_MID_DELIVERY,
        /** Tools refuse their first requests; killed once they did, so the retries happen after the restart. */
        KILL_WHILE_RETRYING,
        /** Tools process an event but the connection drops before the answer; killed once they did. */
        KILL_AFTER_LOST_ANSWERS,
        /** Killed at once, restarted, and killed again as soon as it is healthy (deliveries just resumed). */
        KILL_TWICE,
        /** Killed once every sink's delivery is recorded: nothing is in flight, nothing may be sent again. */
        KILL_WHEN_SETTLED
    }

    /** Per round: the disruption while the openings are delivered, then while the resolutions are. */
    private static final List<List<Disruption>> PLAN = List.of(
            List.of(Disruption.NONE, Disruption.NONE),
            List.of(Disruption.KILL_AT_ONCE, Disruption.NONE),
            List.of(Disruption.RETRIES, Disruption.RETRIES),
            List.of(Disruption.NONE, Disruption.KILL_AT_ONCE),
            List.of(Disruption.KILL_MID_DELIVERY, Disruption.NONE),
            List.of(Disruption.KILL_WHILE_RETRYING, Disruption.NONE),
            List.of(Disruption.KILL_AFTER_LOST_ANSWERS, Disruption.NONE),
            List.of(Disruption.NONE, Disruption.KILL_MID_DELIVERY),
            List.of(Disruption.NONE, Disruption.KILL_WHILE_RETRYING),
            List.of(Disruption.KILL_TWICE, Disruption.NONE),
            List.of(Disruption.NONE, Disruption.KILL_AFTER_LOST_ANSWERS),
            List.of(Disruption.KILL_AT_ONCE, Disruption.KILL_MID_DELIVERY),
            List.of(Disruption.KILL_WHEN_SETTLED, Disruption.NONE));

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    private IncidentReceivers receivers;
    private VigilProcess collector;
    private URI collectorUrl;
    private Path config;
    private final Map<String, String> env = new HashMap<>();
    private long lastSampleMillis;
    /** Each receiver's request count at each kill, in kill order: a duplicate must straddle one of them. */
    private final List<Map<String, Integer>> killMarks = new ArrayList<>();
    private final List<String> killLog = new ArrayList<>();
    private final SoftAssertions softly = new SoftAssertions();
    /** The kills made when nothing was in flight. */
    private final Set<Integer> quietKills = new HashSet<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (collector != null) {
            collector.close();
        }
        if (receivers != null) {
            receivers.close();
        }
    }

    @Test
    void everyToolSeesOneOpeningAndOneResolutionPerOutageWhileTheCollectorIsKilledAndRestarted(TestReporter reporter)
            throws Exception {
        long began = System.nanoTime();
        receivers = IncidentReceivers.start();
        int port = freePort();
        collectorUrl = URI.create("http://127.0.0.1:" + port);
        config = dir.resolve("collector.yaml");
        // Flap damping is off: it deliberately folds a flapping service's outages into one incident, and
        // this test produces an outage every second or so.
        Files.writeString(config, """
                listen: 127.0.0.1:%d
                data_dir: collector-data
                agents:
                  - name: %s
                    token: ${E2E_TOKEN}
                state:
                  failures_to_open: 1
                  successes_to_close: 1
                services:
                  - name: checkout
                    checks:
                      - {check: checkout-probe, agents: [%s], no_data_after: 10m}
                  - name: search
                    checks:
                      - {check: search-probe, agents: [%s], no_data_after: 10m}
                incidents:
                  evaluate_every: 1s
                  damp_flapping: false
                  egress: {allow: ["127.0.0.0/8"]}
                """.formatted(port, AGENT, AGENT, AGENT) + receivers.sinksYaml(RESEND_EVERY.toMillis() + "ms"),
                StandardCharsets.UTF_8);
        env.putAll(receivers.environment());
        env.put("E2E_TOKEN", TOKEN);

        collector = startCollector();
        postSamples(true, "up");

        List<String> keys = new ArrayList<>();
        for (int round = 0; round < PLAN.size(); round++) {
            List<String> outages = run(round, PLAN.get(round).get(0), PLAN.get(round).get(1));
            keys.addAll(outages);
        }

        await("every sink's backlog to drain").atMost(DEADLINE).pollInterval(POLL).failFast(this::collectorDied)
                .until(() -> sinks().stream().allMatch(sink -> sink.path("pending").asInt(-1) == 0));
        Duration took = Duration.ofNanos(System.nanoTime() - began);

        assertTheCollectorsOwnRecord(keys);
        for (String key : keys) {
            assertEveryToolHoldsOneResolvedIncident(key);
        }
        Map<String, Integer> duplicates = new LinkedHashMap<>();
        duplicates.put("hook", assertDeliveredOnceEach("hook", keys, webhookEvents()));
        duplicates.put("slack", assertDeliveredOnceEach("slack", keys, slackEvents()));
        duplicates.put("teams", assertDeliveredOnceEach("teams", keys, teamsEvents()));

        String summary = String.join("\n",
                "outages: " + keys.size() + ", kills: " + killMarks.size() + ", took " + took.toMillis() + " ms",
                "requests per sink: " + receivers.requestCounts(),
                "requests refused on purpose (each one retried): " + receivers.refusedCounts(),
                "repeats merged by the tools' dedup field: pd triggers " + receivers.pagerDuty.incidents().stream()
                        .mapToInt(incident -> incident.triggers() - 1).sum() + ", og creates "
                        + receivers.opsgenie.alerts().stream().mapToInt(alert -> alert.count() - 1).sum(),
                "second copies at sinks without a dedup field (hook: before webhook-id dedup): " + duplicates,
                "kills:\n  " + String.join("\n  ", killLog));
        reporter.publishEntry("exactly-once", summary);
        // Surefire keeps no report entries of JUnit 5 tests: the counts of the last run stay beside the reports.
        Files.writeString(Path.of("target", "incident-exactly-once.txt"), summary + "\n", StandardCharsets.UTF_8);
        softly.assertAll();
    }

    /** One round: both services go down, the openings are delivered; both recover, the resolutions are delivered. */
    private List<String> run(int round, Disruption opening, Disruption resolution) throws Exception {
        Map<String, Long> refusedBefore = receivers.refusedCounts();
        Set<String> watched = arrange(opening, true);
        List<String> keys = postSamples(false, "outage in round " + round);
        int killsBefore = killMarks.size();
        disrupt(opening, watched, refusedBefore, keys, "opened", "round " + round + " openings");
        awaitDelivered(keys, "opened");
        if (killMarks.size() > killsBefore) {
            checkAlertmanagerReposts(keys, "round " + round);
        }

        refusedBefore = receivers.refusedCounts();
        watched = arrange(resolution, false);
        postSamples(true, "recovered in round " + round);
        disrupt(resolution, watched, refusedBefore, keys, "resolved", "round " + round + " resolutions");
        awaitDelivered(keys, "resolved");
        return keys;
    }

    /** Scripts the receivers' refusals for a phase; the sinks whose refusals mark the moment to kill. */
    private Set<String> arrange(Disruption disruption, boolean opening) {
        IncidentReceivers r = receivers;
        switch (disruption) {
            case RETRIES -> {
                r.webhook.failNext(1, 503);
                r.teams.throttleInBodyNext(1);
                r.pagerDuty.failNext(1, 429);
                r.opsgenie.rateLimitNext(1);
                return Set.of();
            }
            case KILL_WHILE_RETRYING -> {
                if (opening) {
                    r.pagerDuty.failNext(2, 503);
                    r.serviceNow.unavailableNext(2);
                    r.slack.rateLimitNext(2, 1);
                    r.webhook.failNext(2, 503);
                    r.jira.rateLimitNext(1, Duration.ofSeconds(1));
                    return Set.of("pd", "snow", "slack", "hook");
                }
                r.opsgenie.rateLimitNext(2);
                r.teams.throttleNext(2, 1);
                r.alertmanager.failNext(2, 503);
                r.serviceNow.rateLimitNext(1, Duration.ofSeconds(1));
                r.webhook.failNext(2, 503);
                return Set.of("og", "teams", "am", "hook");
            }
            case KILL_AFTER_LOST_ANSWERS -> {
                r.pagerDuty.loseNextResponses(1);
                if (opening) {
                    r.serviceNow.loseNextCreateResponse();
                    r.jira.loseNextCreateResponse();
                    return Set.of("pd", "snow", "jira");
                }
                return Set.of("pd");
            }
            default -> {
                return Set.of();
            }
        }
    }

    private void disrupt(Disruption disruption, Set<String> watched, Map<String, Long> refusedBefore,
            List<String> keys, String event, String when) throws Exception {
        switch (disruption) {
            case NONE, RETRIES -> {
            }
            case KILL_AT_ONCE -> killAndRestart(when + ": right after the samples were journaled");
            case KILL_MID_DELIVERY -> {
                String first = keys.get(0);
                if (event.equals("opened")) {
                    await("the webhook to receive " + first + ":opened").atMost(DEADLINE).pollInterval(WATCH)
                            .failFast(this::collectorDied).until(() -> webhookIds().contains(first + ":opened"));
                } else {
                    await("Jira to close the issue of " + first).atMost(DEADLINE).pollInterval(WATCH)
                            .failFast(this::collectorDied)
                            .until(() -> receivers.jira.issuesWithLabel(jiraLabel(first)).stream()
                                    .anyMatch(issue -> issue.status().equals("Done")));
                }
                killAndRestart(when + ": in the middle of the deliveries (" + event + " of " + first
                        + " just reached " + (event.equals("opened") ? "the webhook" : "Jira") + ")");
            }
            case KILL_WHILE_RETRYING, KILL_AFTER_LOST_ANSWERS -> {
                await("the scripted refusals of " + watched).atMost(DEADLINE).pollInterval(WATCH)
                        .failFast(this::collectorDied)
                        .until(() -> {
                            Map<String, Long> now = receivers.refusedCounts();
                            return watched.stream().allMatch(sink -> now.get(sink) > refusedBefore.get(sink));
                        });
                killAndRestart(when + ": " + (disruption == Disruption.KILL_WHILE_RETRYING
                        ? "while " + watched + " wait for a retry" : "after " + watched + " lost their answers"));
            }
            case KILL_WHEN_SETTLED -> {
                awaitDelivered(keys, event);
                quietKills.add(killMarks.size());
                killAndRestart(when + ": once every delivery was recorded");
            }
            case KILL_TWICE -> {
                killAndRestart(when + ": right after the samples were journaled");
                killAndRestart(when + ": again as soon as the restarted collector was healthy");
            }
        }
    }

    /** Posts one sample per service, failing or successful; the outage keys a failing post starts. */
    private List<String> postSamples(boolean success, String detail) {
        ArrayNode samples = JSON.createArrayNode();
        List<String> keys = new ArrayList<>();
        for (String service : SERVICES) {
            long time = Math.max(System.currentTimeMillis(), lastSampleMillis + 1);
            lastSampleMillis = time;
            ObjectNode sample = samples.addObject().put("check", service + "-probe").put("time", time);
            if (success) {
                sample.put("success", true).put("latency_ms", 12.5);
            } else {
                sample.put("outcome", "status_mismatch").put("status_code", 503).put("detail", detail);
            }
            keys.add("service/" + service + "@" + time);
        }
        String body = JSON.createObjectNode().set("samples", samples).toString();
        // A retried post is harmless: samples the collector already holds are answered as duplicates.
        await("the collector to take the samples (" + detail + ")").atMost(DEADLINE).pollInterval(POLL)
                .failFast(this::collectorDied)
                .until(() -> {
                    HttpRequest request = HttpRequest.newBuilder(collectorUrl.resolve("/api/v1/samples"))
                            .timeout(Duration.ofSeconds(5))
                            .header("Authorization", "Bearer " + TOKEN)
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        return false;
                    }
                    JsonNode answer = JSON.readTree(response.body());
                    assertThat(answer.path("rejected").size()).as("rejected samples: %s", response.body()).isZero();
                    assertThat(answer.path("accepted").asInt() + answer.path("duplicates").asInt())
                            .as(response.body()).isEqualTo(SERVICES.size());
                    return true;
                });
        return keys;
    }

    /** Waits until the collector records {@code event} of every incident in {@code keys} as delivered to every sink. */
    private void awaitDelivered(List<String> keys, String event) {
        await(event + " of " + keys + " to be delivered to every sink").atMost(DEADLINE).pollInterval(POLL)
                .failFast(this::collectorDied)
                .until(() -> {
                    Map<String, JsonNode> byKey = incidentsByKey();
                    for (String key : keys) {
                        JsonNode incident = byKey.get(key);
                        if (incident == null) {
                            return false;
                        }
                        for (JsonNode delivery : incident.path("deliveries")) {
                            String state = delivery.path("state").asText();
                            if (!state.equals("pending") && !state.equals("delivered")) {
                                throw new AssertionError("delivery " + delivery + " of " + key + " was settled as "
                                        + state + "\n" + collector.logTail() + "\nlogs kept in " + dir);
                            }
                        }
                        for (String sink : IncidentReceivers.SINKS) {
                            if (!deliveryState(incident, sink, event).equals("delivered")) {
                                return false;
                            }
                        }
                    }
                    return true;
                });
    }

    /**
     * Checks that Alertmanager is posted each of {@code keys} as firing again within a few
     * {@code resend_every} after the openings were delivered across a kill: a restarted collector must go
     * on re-sending what it opened before the kill, or Alertmanager resolves the alert by itself once its
     * resolve timeout passes, while the outage goes on. A miss is recorded and the test goes on, so that
     * one run shows everything that is wrong.
     */
    private void checkAlertmanagerReposts(List<String> keys, String round) {
        int delivered = receivers.alertmanager.posts().size();
        Set<String> reposted = new HashSet<>();
        try {
            await("Alertmanager to be re-sent " + keys).atMost(RESEND_EVERY.multipliedBy(5)).pollInterval(POLL)
                    .failFast(this::collectorDied)
                    .until(() -> {
                        List<AlertmanagerReceiver.Post> posts = receivers.alertmanager.posts();
                        for (AlertmanagerReceiver.Post post : posts.subList(delivered, posts.size())) {
                            for (JsonNode alert : JSON.readTree(post.body())) {
                                if (post.status() < 300 && alert.path("endsAt").isMissingNode()) {
                                    reposted.add(alert.path("labels").path("vigil_key").asText());
                                }
                            }
                        }
                        return reposted.containsAll(keys);
                    });
        } catch (ConditionTimeoutException e) {
            List<String> silent = keys.stream().filter(key -> !reposted.contains(key)).toList();
            softly.fail("%s: after the restart, Alertmanager was not re-sent the firing alerts %s within %s "
                    + "(resend_every %s); their openings were delivered before the kill, and a collector that "
                    + "stops re-sending lets Alertmanager resolve them by itself while the outage goes on",
                    round, silent, RESEND_EVERY.multipliedBy(5), RESEND_EVERY);
        }
    }

    private static String deliveryState(JsonNode incident, String sink, String event) {
        for (JsonNode delivery : incident.path("deliveries")) {
            if (delivery.path("sink").asText().equals(sink) && delivery.path("event").asText().equals(event)) {
                return delivery.path("state").asText();
            }
        }
        return "absent";
    }

    private void killAndRestart(String when) throws Exception {
        collector.kill();
        long killed = System.nanoTime();
        // A request the dead process wrote may still be in a receiver's socket and be recorded a moment
        // later: the mark is taken once two polls in a row find every receiver's count unchanged.
        List<Map<String, Integer>> polls = new ArrayList<>(List.of(receivers.requestCounts()));
        await("the receivers to finish what the killed collector sent").atMost(DEADLINE)
                .pollDelay(QUIET).pollInterval(QUIET)
                .until(() -> {
                    polls.add(receivers.requestCounts());
                    return polls.get(polls.size() - 1).equals(polls.get(polls.size() - 2));
                });
        killMarks.add(polls.get(polls.size() - 1));
        collector = startCollector();
        killLog.add(when + " (healthy again after " + Duration.ofNanos(System.nanoTime() - killed).toMillis() + " ms)");
    }

    private VigilProcess startCollector() throws IOException {
        VigilProcess started = VigilProcess.start("collector", "vigil.collector.jar", config,
                dir.resolve("collector.log"), env);
        URI health = collectorUrl.resolve("/healthz");
        await("the collector to become healthy").atMost(DEADLINE).pollInterval(POLL)
                .failFast("the collector exited\n" + started.logTail(), () -> !started.isAlive())
                .until(() -> VigilProcess.status(health) == 200);
        return started;
    }

    private boolean collectorDied() {
        if (!collector.isAlive()) {
            throw new AssertionError("the collector exited\n" + collector.logTail() + "\nlogs kept in " + dir);
        }
        return false;
    }

    private void assertTheCollectorsOwnRecord(List<String> keys) throws Exception {
        Map<String, JsonNode> byKey = incidentsByKey();
        softly.assertThat(byKey.keySet()).as("the collector's incidents").containsExactlyInAnyOrderElementsOf(keys);
        for (JsonNode incident : byKey.values()) {
            softly.assertThat(incident.path("status").asText()).as("status of %s", incident.path("key").asText())
                    .isEqualTo("resolved");
            softly.assertThat(incident.path("kind").asText()).as("kind of %s", incident.path("key").asText())
                    .isEqualTo("outage");
        }
        for (JsonNode sink : sinks()) {
            softly.assertThat(sink.path("deadLetters").size()).as("dead letters of sink %s: %s",
                    sink.path("name").asText(), sink.path("deadLetters")).isZero();
            softly.assertThat(sink.path("enabled").asBoolean()).as("sink %s enabled", sink.path("name").asText())
                    .isTrue();
        }
    }

    private void assertEveryToolHoldsOneResolvedIncident(String key) {
        List<PagerDutyReceiver.Incident> pd = receivers.pagerDuty.incidentsFor(key);
        softly.assertThat(pd).as("PagerDuty incidents with dedup_key %s", key).hasSize(1);
        softly.assertThat(pd).as("PagerDuty incidents with dedup_key %s", key)
                .allMatch(incident -> incident.state() == PagerDutyReceiver.State.RESOLVED);

        List<OpsgenieReceiver.Alert> og = receivers.opsgenie.alertsFor(key);
        softly.assertThat(og).as("Opsgenie alerts with alias %s", key).hasSize(1);
        softly.assertThat(og).as("Opsgenie alerts with alias %s", key).noneMatch(OpsgenieReceiver.Alert::open);

        List<AlertmanagerReceiver.Alert> am = receivers.alertmanager.alerts().stream()
                .filter(alert -> key.equals(alert.label("vigil_key"))).toList();
        softly.assertThat(am).as("Alertmanager label sets with vigil_key %s", key).hasSize(1);
        softly.assertThat(am).as("Alertmanager alerts with vigil_key %s: resolved, fired once", key)
                .allMatch(alert -> alert.resolved() && alert.firings() == 1);

        List<ServiceNowReceiver.Record> snow = receivers.serviceNow.recordsWithCorrelation(key);
        softly.assertThat(snow).as("ServiceNow records with correlation_id %s", key).hasSize(1);
        softly.assertThat(snow).as("ServiceNow records with correlation_id %s", key)
                .allMatch(record -> record.state().equals("6"));

        List<JiraReceiver.Issue> jira = receivers.jira.issuesWithLabel(jiraLabel(key));
        softly.assertThat(jira).as("Jira issues labelled for %s", key).hasSize(1);
        softly.assertThat(jira).as("Jira issues labelled for %s", key).allMatch(issue -> issue.status().equals("Done"));
    }

    /** An event as a tool without a dedup field received it: its incident key, its type, its arrival index. */
    private record Arrival(String key, String event, int index) {
    }

    /**
     * Asserts that each outage's opening and resolution arrived at {@code sink} at least once, nothing
     * else, no opening after a resolution, that every second copy has a kill between it and the first, and
     * that no kill caused more of them than there were incidents being delivered.
     *
     * @return the number of copies beyond the first
     */
    private int assertDeliveredOnceEach(String sink, List<String> keys, List<Arrival> arrivals) {
        Map<String, List<Arrival>> byKey = new TreeMap<>();
        for (Arrival arrival : arrivals) {
            byKey.computeIfAbsent(arrival.key(), k -> new ArrayList<>()).add(arrival);
        }
        softly.assertThat(byKey.keySet()).as("incident keys %s received", sink)
                .containsExactlyInAnyOrderElementsOf(keys);
        int duplicates = 0;
        Map<Integer, Integer> duplicatesByKill = new TreeMap<>();
        for (String key : keys) {
            List<Arrival> ofKey = byKey.getOrDefault(key, List.of());
            Map<String, List<Integer>> indexesByEvent = new LinkedHashMap<>();
            ofKey.forEach(a -> indexesByEvent.computeIfAbsent(a.event(), e -> new ArrayList<>()).add(a.index()));
            softly.assertThat(indexesByEvent.keySet()).as("events of %s at %s (after dedup)", key, sink)
                    .containsExactly("opened", "resolved");
            List<Integer> opened = indexesByEvent.getOrDefault("opened", List.of());
            List<Integer> resolved = indexesByEvent.getOrDefault("resolved", List.of());
            if (!opened.isEmpty() && !resolved.isEmpty()) {
                softly.assertThat(opened.get(opened.size() - 1)).as("last opening of %s at %s comes before its "
                        + "first resolution", key, sink).isLessThan(resolved.get(0));
            }
            for (Map.Entry<String, List<Integer>> copies : indexesByEvent.entrySet()) {
                List<Integer> indexes = copies.getValue();
                for (int i = 1; i < indexes.size(); i++) {
                    duplicates++;
                    int earlier = indexes.get(i - 1);
                    int later = indexes.get(i);
                    OptionalInt kill = IntStream.range(0, killMarks.size())
                            .filter(k -> earlier < killMarks.get(k).get(sink) && killMarks.get(k).get(sink) <= later)
                            .findFirst();
                    softly.assertThat(kill).as("copies %d and %d of %s:%s at %s have a kill between them (request "
                                    + "counts at the kills: %s)", earlier, later, key, copies.getKey(), sink,
                                    killMarks.stream().map(mark -> mark.get(sink)).toList())
                            .isPresent();
                    kill.ifPresent(k -> duplicatesByKill.merge(k, 1, Integer::sum));
                }
            }
        }
        // A lane has at most one event on the wire, and a kill can only lose the record of what was on the
        // wire: per kill, at most one copy too many per incident the sink had a lane for, none if all was settled.
        duplicatesByKill.forEach((kill, count) -> softly.assertThat(count)
                .as("duplicates at %s caused by kill %d (%s)", sink, kill, killLog.get(kill))
                .isLessThanOrEqualTo(quietKills.contains(kill) ? 0 : SERVICES.size()));
        return duplicates;
    }

    private List<Arrival> webhookEvents() {
        List<Arrival> arrivals = new ArrayList<>();
        List<RecordingWebhookReceiver.Request> requests = receivers.webhook.requests();
        for (int i = 0; i < requests.size(); i++) {
            RecordingWebhookReceiver.Request request = requests.get(i);
            if (request.status() >= 300) {
                continue;
            }
            softly.assertThat(request.signedWith(IncidentReceivers.HOOK_KEY)).as("signature of %s", request.headers())
                    .isTrue();
            String id = request.headers().get("webhook-id");
            int colon = id.lastIndexOf(':');
            arrivals.add(new Arrival(id.substring(0, colon), id.substring(colon + 1), i));
        }
        return arrivals;
    }

    private Set<String> webhookIds() {
        Set<String> ids = new LinkedHashSet<>();
        receivers.webhook.acceptedRequests().forEach(request -> ids.add(request.headers().get("webhook-id")));
        return ids;
    }

    private List<Arrival> slackEvents() throws IOException {
        List<Arrival> arrivals = new ArrayList<>();
        var requests = receivers.slack.requests();
        for (int i = 0; i < requests.size(); i++) {
            if (requests.get(i).status() != 200) {
                continue;
            }
            String text = JSON.readTree(requests.get(i).body()).path("text").asText();
            String key = text.substring(text.lastIndexOf(" (") + 2, text.length() - 1);
            arrivals.add(new Arrival(key, eventOf(text.startsWith(":large_green_circle:"),
                    text.startsWith(":red_circle:")), i));
        }
        return arrivals;
    }

    private List<Arrival> teamsEvents() throws IOException {
        List<Arrival> arrivals = new ArrayList<>();
        var requests = receivers.teams.requests();
        for (int i = 0; i < requests.size(); i++) {
            if (!requests.get(i).posted()) {
                continue;
            }
            JsonNode card = JSON.readTree(requests.get(i).body());
            String key = "";
            for (JsonNode fact : card.path("sections").path(0).path("facts")) {
                if (fact.path("name").asText().equals("Key")) {
                    key = fact.path("value").asText();
                }
            }
            String title = card.path("title").asText();
            arrivals.add(new Arrival(key, eventOf(title.startsWith("Resolved:"), title.contains(" opened: ")), i));
        }
        return arrivals;
    }

    private static String eventOf(boolean resolved, boolean opened) {
        return resolved ? "resolved" : opened ? "opened" : "other";
    }

    /** Jira's dedup label as docs/sinks/jira.md defines it: {@code vigil-} and 20 hex digits of the key's SHA-256. */
    private static String jiraLabel(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "vigil-" + HexFormat.of().formatHex(digest).substring(0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private Map<String, JsonNode> incidentsByKey() throws IOException, InterruptedException {
        Map<String, JsonNode> byKey = new LinkedHashMap<>();
        JsonNode list = JSON.readTree(VigilProcess.get(collectorUrl.resolve("/api/v1/incidents?limit=10000")));
        list.path("incidents").forEach(incident -> byKey.put(incident.path("key").asText(), incident));
        return byKey;
    }

    private List<JsonNode> sinks() throws IOException, InterruptedException {
        List<JsonNode> sinks = new ArrayList<>();
        JSON.readTree(VigilProcess.get(collectorUrl.resolve("/api/v1/sinks"))).path("sinks").forEach(sinks::add);
        return sinks;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
