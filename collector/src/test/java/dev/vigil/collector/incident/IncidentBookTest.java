package dev.vigil.collector.incident;

import static dev.vigil.collector.incident.BookRig.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.state.CheckKey;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The incident lifecycle, scenario by scenario, through a real board, SLA engine, incident log and
 * outbox: which incidents open and resolve, with which keys, times and fields, and which events the
 * sinks receive in which order.
 */
class IncidentBookTest {
    static final String YAML = """
            agents:
              - {name: edge-1, token: t1}
              - {name: edge-2, token: t2}
              - {name: edge-3, token: t3}
            slas:
              gold:
                period: month
                objectives:
                  - availability: 99.9%
            services:
              - name: web
                tier: gold
                owner: team-web
                sla: gold
                checks:
                  - {check: web, agents: [edge-1]}
              - name: shop
                checks:
                  - {check: shop, agents: [edge-1, edge-2, edge-3], quorum: 2}
              - name: api
                tier: gold
                checks:
                  - {check: api, agents: [edge-1]}
                  - {check: api-db, agents: [edge-1]}
              - name: db
                checks:
                  - {check: db, agents: [edge-1]}
              - name: app
                depends_on: [db]
                checks:
                  - {check: app, agents: [edge-1]}
              - name: maint
                checks:
                  - {check: maint, agents: [edge-1]}
            maintenance:
              - id: upgrade
                services: [maint]
                start: 2026-03-02T01:00:00Z
                end: 2026-03-02T02:00:00Z
                created_by: ops
                reason: database upgrade
            """;
    static final IncidentPolicy POLICY = new IncidentPolicy(PriorityMatrix.DEFAULT, Map.of("gold", Level.HIGH),
            Level.MEDIUM, Duration.ofSeconds(15), Optional.empty(), true, true, true);

    static Vertx vertx;

    @TempDir
    Path dir;
    BookRig rig;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void closeRig() throws Exception {
        if (rig != null) {
            rig.close();
        }
    }

    private BookRig rig(IncidentPolicy policy) throws Exception {
        rig = new BookRig(vertx, dir, YAML, policy).started();
        return rig;
    }

    @Test
    void twoFailuresOpenTheServiceIncidentAtTheFirstFailureAndTwoSuccessesResolveItAtTheFirstSuccess()
            throws Exception {
        rig(POLICY).play("edge-1/web SSFFFSSS");

        String key = "service/web@" + at(2);
        Incident incident = rig.incident(key);
        assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(incident.startedEpochMillis()).isEqualTo(at(2));
        assertThat(incident.detectedEpochMillis()).isEqualTo(at(3) + BookRig.RECEIVE_DELAY);
        assertThat(incident.resolvedEpochMillis()).hasValue(at(5));
        assertThat(incident.openedJournalIndex()).isEqualTo(3);
        assertThat(rig.incidents()).hasSize(1);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":resolved");

        JsonObject opened = rig.sink.sent(key + ":opened");
        assertThat(opened.getString("kind")).isEqualTo("outage");
        assertThat(opened.getString("title")).isEqualTo("web is down");
        assertThat(opened.getString("service")).isEqualTo("web");
        assertThat(opened.getJsonArray("checks")).isEqualTo(checks("edge-1/web"));
        assertThat(opened.getString("status")).isEqualTo("open");
        assertThat(opened.getString("impact")).isEqualTo("high");
        assertThat(opened.getString("urgency")).isEqualTo("high");
        assertThat(opened.getString("priority")).isEqualTo("P1");
        assertThat(opened.getString("startedAt")).isEqualTo(iso(at(2)));
        assertThat(opened.getString("detectedAt")).isEqualTo(iso(at(3) + BookRig.RECEIVE_DELAY));
        assertThat(opened.getString("resolvedAt")).isNull();
        assertThat(opened.getValue("muted")).isNull();
        assertThat(opened.getString("detail")).isEqualTo("TIMEOUT: timed out (edge-1/web)");
        assertThat(opened.getJsonObject("labels")).isEqualTo(new JsonObject().put("owner", "team-web")
                .put("tier", "gold"));
        assertThat(opened.getInteger("outages")).isEqualTo(1);
        JsonObject resolved = rig.sink.sent(key + ":resolved");
        assertThat(resolved.getString("status")).isEqualTo("resolved");
        assertThat(resolved.getString("resolvedAt")).isEqualTo(iso(at(5)));
        assertThat(resolved.getDouble("durationSeconds")).isEqualTo(180.0);
        assertThat(rig.onLoop(() -> rig.book.openCount())).isZero();
    }

    @Test
    void aCheckLocationInNoServiceOpensAnIncidentOfItsOwn() throws Exception {
        rig(POLICY).play("edge-2/lonely SSFFSS");

        String key = "check/edge-2/lonely@" + at(2);
        Incident incident = rig.incident(key);
        assertThat(incident.service()).isEmpty();
        assertThat(incident.checks()).containsExactly(new CheckKey("edge-2", "lonely"));
        assertThat(incident.title()).isEqualTo("edge-2/lonely is down");
        assertThat(incident.impact()).isEqualTo(Level.MEDIUM);
        assertThat(incident.urgency()).isEqualTo(Level.HIGH);
        assertThat(incident.priority()).isEqualTo(Priority.P2);
        assertThat(incident.resolvedEpochMillis()).hasValue(at(4));
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":resolved");
    }

    @Test
    void aQuorumOfTwoOpensAtTheSecondLocationDownAndEscalatesAtTheThird() throws Exception {
        rig(POLICY);
        rig.play("edge-1/shop SSFF", "edge-2/shop SSSS", "edge-3/shop SSSS");
        assertThat(rig.incidents()).isEmpty();

        rig.play("edge-1/shop FF", "edge-2/shop FF", "edge-3/shop SS");
        String key = "service/shop@" + at(4);
        assertThat(rig.incident(key).checks()).containsExactly(new CheckKey("edge-1", "shop"),
                new CheckKey("edge-2", "shop"));
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened");

        rig.play("edge-1/shop FFFF", "edge-2/shop FFFF", "edge-3/shop FFFF");
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":updated:1");
        JsonObject updated = rig.sink.sent(key + ":updated:1");
        assertThat(updated.getJsonArray("checks")).isEqualTo(checks("edge-1/shop", "edge-2/shop", "edge-3/shop"));
        assertThat(updated.getString("priority")).isEqualTo(rig.sink.sent(key + ":opened").getString("priority"));
        assertThat(updated.getString("status")).isEqualTo("open");

        rig.play("edge-1/shop SSS", "edge-2/shop SSS", "edge-3/shop SSS");
        assertThat(rig.incident(key).resolvedEpochMillis()).hasValue(at(10));
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":updated:1", key + ":resolved");
        assertThat(rig.incidents()).hasSize(1);
    }

    @Test
    void oneOfTwoChecksDownOpensWithMediumUrgencyAndThePriorityStaysWhenTheOtherFollows() throws Exception {
        rig(POLICY).play("edge-1/api SSFFFFFF", "edge-1/api-db SSSSFFFF");

        String key = "service/api@" + at(2);
        JsonObject opened = rig.sink.sent(key + ":opened");
        assertThat(opened.getString("urgency")).isEqualTo("medium");
        assertThat(opened.getString("impact")).isEqualTo("high");
        assertThat(opened.getString("priority")).isEqualTo("P2");
        assertThat(opened.getJsonArray("checks")).isEqualTo(checks("edge-1/api"));
        JsonObject updated = rig.sink.sent(key + ":updated:1");
        assertThat(updated.getJsonArray("checks")).isEqualTo(checks("edge-1/api", "edge-1/api-db"));
        assertThat(updated.getString("priority")).isEqualTo("P2");
        assertThat(updated.getString("urgency")).isEqualTo("medium");
    }

    @Test
    void aServiceWhoseEveryCheckIsDownAtTheOpeningIsHighUrgencyAndItsTiersImpactSetsThePriority() throws Exception {
        rig(POLICY).play("edge-1/web SSFF", "edge-1/db SSFF");

        assertThat(rig.incident("service/web@" + at(2)).urgency()).isEqualTo(Level.HIGH);
        assertThat(rig.incident("service/web@" + at(2)).priority()).isEqualTo(Priority.P1);
        // db has no tier: the default impact, medium.
        assertThat(rig.incident("service/db@" + at(2)).priority()).isEqualTo(Priority.P2);
    }

    @Test
    void anOutageStartingInMaintenanceAndEndingInItIsNeverSent() throws Exception {
        rig(POLICY).play("edge-1/maint " + "S".repeat(65) + "FFFSS" + "S".repeat(5));

        String key = "service/maint@" + at(65);
        Incident incident = rig.incident(key);
        assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(incident.resolvedEpochMillis()).hasValue(at(68));
        assertThat(incident.timeline()).extracting(IncidentNote::text)
                .anyMatch(text -> text.startsWith("muted: maintenance, maintenance upgrade"));
        rig.tickAt(75);
        assertThat(rig.sink.eventIds).isEmpty();
    }

    @Test
    void anOutageStillDownWhenTheMaintenanceEndsIsOpenedAtTheNextTickThenResolved() throws Exception {
        rig(POLICY).play("edge-1/maint " + "S".repeat(70) + "F".repeat(52));
        String key = "service/maint@" + at(70);
        assertThat(rig.incident(key).muted()).isTrue();
        rig.tickAt(119);
        assertThat(rig.sink.eventIds).isEmpty();

        rig.tickAt(121);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened");
        JsonObject opened = rig.sink.sent(key + ":opened");
        assertThat(opened.getValue("muted")).isNull();
        assertThat(opened.getString("startedAt")).isEqualTo(iso(at(70)));
        rig.tickAt(121);
        assertThat(rig.sink.eventIds).hasSize(1);

        rig.play("edge-1/maint SSS");
        assertThat(rig.incident(key).resolvedEpochMillis()).hasValue(at(122));
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":resolved");
    }

    @Test
    void aServiceGoingDownWhileItsDependencyIsDownIsMutedAndOpenedWhenTheDependencyRecoversFirst()
            throws Exception {
        rig(POLICY).play("edge-1/db SSFFFFSSSSSSSS", "edge-1/app SSSSFFFFFFFFSS");

        String db = "service/db@" + at(2);
        String app = "service/app@" + at(4);
        assertThat(rig.sink.eventIds).containsExactly(db + ":opened", db + ":resolved", app + ":opened",
                app + ":resolved");
        assertThat(rig.incident(app).timeline()).extracting(IncidentNote::text).contains(
                "muted: dependency, db is down (incident " + db + ")", "unmuted");
        assertThat(rig.sink.sent(app + ":opened").getValue("muted")).isNull();
        assertThat(rig.incident(app).resolvedEpochMillis()).hasValue(at(12));
    }

    @Test
    void aServiceOpenedBeforeItsDependencyWentDownHasItsResolutionSent() throws Exception {
        rig(POLICY).play("edge-1/app SSFFFFFFSS", "edge-1/db SSSSFFFFFFSS");

        String app = "service/app@" + at(2);
        String db = "service/db@" + at(4);
        assertThat(rig.sink.eventIds).containsExactly(app + ":opened", db + ":opened", app + ":resolved",
                db + ":resolved");
        assertThat(rig.incident(app).muted()).isFalse();
    }

    @Test
    void aFlappingServiceMakesOneIncidentResolvedOnceItSettles() throws Exception {
        rig(POLICY).play("edge-1/web SS" + "FFSS".repeat(5) + "S".repeat(60));

        String first = "service/web@" + at(2);
        String second = "service/web@" + at(6);
        String flapping = "service/web@" + at(10);
        assertThat(rig.incidents()).extracting(Incident::key).containsExactly(flapping, second, first);
        Incident held = rig.incident(flapping);
        assertThat(held.status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(held.outages()).isEqualTo(3);

        rig.tickAt(71);
        assertThat(rig.incident(flapping).status()).isEqualTo(IncidentStatus.OPEN);
        rig.tickAt(73);
        assertThat(rig.incident(flapping).resolvedEpochMillis()).hasValue(at(20));
        assertThat(rig.sink.eventIds).containsExactly(first + ":opened", first + ":resolved", second + ":opened",
                second + ":resolved", flapping + ":opened", flapping + ":resolved");
        assertThat(rig.sink.sent(flapping + ":resolved").getInteger("outages")).isEqualTo(3);
    }

    @Test
    void withoutDampingAFlappingServiceMakesOneIncidentPerOutage() throws Exception {
        rig(new IncidentPolicy(PriorityMatrix.DEFAULT, Map.of(), Level.MEDIUM, Duration.ofSeconds(15),
                Optional.empty(), true, true, false)).play("edge-1/web SS" + "FFSS".repeat(5) + "SS");

        assertThat(rig.incidents()).hasSize(5).allSatisfy(incident -> {
            assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
            assertThat(incident.outages()).isEqualTo(1);
        });
        assertThat(rig.sink.eventIds).hasSize(10);
    }

    @Test
    void aTickSendsOneReminderWithTheNumberDueAndNoneAgainUntilTheNext() throws Exception {
        rig(new IncidentPolicy(PriorityMatrix.DEFAULT, Map.of(), Level.MEDIUM, Duration.ofSeconds(15),
                Optional.of(Duration.ofHours(1)), true, true, true)).play("edge-1/web SSFF");
        String key = "service/web@" + at(2);

        rig.tickAt(3 + 59);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened");
        rig.tickAt(3 + 150);
        rig.tickAt(3 + 150);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":reminder:2");
        rig.tickAt(3 + 181);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":reminder:2", key + ":reminder:3");
        assertThat(rig.sink.sent(key + ":reminder:3").getString("status")).isEqualTo("open");
    }

    @Test
    void aPageLevelBurnOpensOneIncidentThatResolvesWhenNoPageAlertFires() throws Exception {
        rig(POLICY).play("edge-1/web " + "S".repeat(60) + "F".repeat(30));
        Optional<String> opened = figures();
        String key = "burn_rate/web/availability@" + rig.clock.millis();
        assertThat(opened).hasValue(key);
        rig.play("edge-1/web " + "F".repeat(10));
        figures();
        assertThat(rig.incidents()).extracting(Incident::key).filteredOn(k -> k.startsWith("burn_rate/"))
                .containsExactly(key);

        // The 6 h / 30 min page rule still fires until the outage leaves the short window.
        rig.play("edge-1/web " + "S".repeat(25));
        figures();
        assertThat(rig.incident(key).status()).isEqualTo(IncidentStatus.OPEN);
        rig.play("edge-1/web " + "S".repeat(10));
        figures();
        Incident incident = rig.incident(key);
        assertThat(incident.status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(incident.resolvedEpochMillis()).hasValue(rig.clock.millis());
        assertThat(incident.kind()).isEqualTo(IncidentKind.BURN_RATE);
        assertThat(incident.priority()).isEqualTo(Priority.P1);
        assertThat(rig.sink.eventIds).filteredOn(id -> id.startsWith("burn_rate/"))
                .containsExactly(key + ":opened", key + ":resolved");
        assertThat(rig.log.incidents()).containsKey(key);
        assertThat(rig.log.incidents().get(key).status()).isEqualTo(IncidentStatus.RESOLVED);
    }

    @Test
    void aSpentBudgetOpensOneIncidentPerPeriodResolvedWhenTheNextPeriodBegins() throws Exception {
        rig(POLICY).play("edge-1/web " + "S".repeat(10) + "F".repeat(60));
        figures();
        rig.play("edge-1/web " + "F".repeat(5));
        figures();
        String key = "budget_exhausted/web/availability@" + Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
        assertThat(rig.incidents()).extracting(Incident::key).filteredOn(k -> k.startsWith("budget_exhausted/"))
                .containsExactly(key);
        Incident incident = rig.incident(key);
        assertThat(incident.status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(incident.urgency()).isEqualTo(Level.MEDIUM);
        assertThat(incident.title()).isEqualTo("web: SLA gold breached (availability budget spent)");

        rig.clock.set(Instant.parse("2026-04-01T00:10:00Z").toEpochMilli());
        figures();
        assertThat(rig.incident(key).resolvedEpochMillis()).hasValue(rig.clock.millis());
        assertThat(rig.sink.eventIds).filteredOn(id -> id.startsWith("budget_exhausted/"))
                .containsExactly(key + ":opened", key + ":resolved");
    }

    /** Hands the book web's figures as of now, as the metrics computation does; returns the burn-rate incident opened. */
    private Optional<String> figures() throws Exception {
        return rig.onLoop(() -> {
            Optional<SlaResult> result = rig.engine.currentResult("web");
            List<BurnRates> rates = rig.engine.burnRates("web");
            List<String> before = rig.book.incidents().stream().map(Incident::key).toList();
            rig.book.serviceFigures("web", result, rates, rig.clock.millis());
            return rig.book.incidents().stream().map(Incident::key)
                    .filter(k -> k.startsWith("burn_rate/") && !before.contains(k)).findFirst();
        });
    }

    @Test
    void anAlertOpensOnceAndResolvesAndTheLogKeepsIt() throws Exception {
        rig(POLICY);
        long startsAt = BookRig.START - 30_000;
        Map<String, String> labels = Map.of("alertname", "HighLatency", "severity", "critical", "service", "web");
        Map<String, String> annotations = Map.of("summary", "web is slow", "description", "p99 above 2s");

        String key = rig.onLoop(() -> rig.book.alert("fp1", startsAt, OptionalLong.empty(), labels, annotations));
        assertThat(key).isEqualTo("alert/fp1@" + startsAt);
        Incident incident = rig.incident(key);
        assertThat(incident.kind()).isEqualTo(IncidentKind.ALERT);
        assertThat(incident.title()).isEqualTo("web is slow");
        assertThat(incident.detail()).isEqualTo("p99 above 2s");
        assertThat(incident.urgency()).isEqualTo(Level.HIGH);
        assertThat(incident.priority()).isEqualTo(Priority.P1);
        assertThat(incident.startedEpochMillis()).isEqualTo(startsAt);
        assertThat(incident.detectedEpochMillis()).isEqualTo(BookRig.START);

        rig.onLoop(() -> rig.book.alert("fp1", startsAt, OptionalLong.empty(), labels, annotations));
        assertThat(rig.incident(key)).isEqualTo(incident);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened");
        assertThat(rig.log.incidents().get(key)).isEqualTo(incident);

        rig.clock.set(BookRig.START + 120_000);
        rig.onLoop(() -> rig.book.alert("fp1", startsAt, OptionalLong.of(BookRig.START + 60_000), labels,
                annotations));
        assertThat(rig.incident(key).resolvedEpochMillis()).hasValue(BookRig.START + 60_000);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":resolved");
        assertThat(rig.log.incidents().get(key).status()).isEqualTo(IncidentStatus.RESOLVED);
    }

    @Test
    void anAcknowledgementIsSentOnceAndSurvivesARestart() throws Exception {
        rig(POLICY).play("edge-1/web SSFFF");
        String key = "service/web@" + at(2);
        Acknowledgement ack = new Acknowledgement(rig.clock.millis(), "alice", "api");

        assertThat(rig.onLoop(() -> rig.book.acknowledge(key, ack))).isTrue();
        assertThat(rig.onLoop(() -> rig.book.acknowledge(key, new Acknowledgement(rig.clock.millis(), "bob", "api"))))
                .isTrue();
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":updated:1");
        JsonObject updated = rig.sink.sent(key + ":updated:1");
        assertThat(updated.getString("acknowledgedBy")).isEqualTo("alice");
        assertThat(updated.getString("acknowledgedVia")).isEqualTo("api");
        Incident live = rig.incident(key);

        rig.restart(false);
        rig.started();

        assertThat(rig.incident(key).acknowledgement()).hasValue(ack);
        assertThat(rig.incident(key).toJson(OptionalLong.empty())).isEqualTo(live.toJson(OptionalLong.empty()));
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":updated:1");
    }

    private static JsonArray checks(String... ids) {
        JsonArray checks = new JsonArray();
        for (String id : ids) {
            int slash = id.indexOf('/');
            checks.add(new JsonObject().put("agent", id.substring(0, slash)).put("check", id.substring(slash + 1)));
        }
        return checks;
    }

    private static String iso(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).toString();
    }
}
