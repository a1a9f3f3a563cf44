package dev.vigil.collector.incident;

import static dev.vigil.collector.incident.IncidentBookTest.Rig.at;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.TestClock;
import dev.vigil.collector.catalogue.Catalogue;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.engine.SlaEngine;
import dev.vigil.collector.incident.delivery.Backoff;
import dev.vigil.collector.incident.delivery.IncidentSink;
import dev.vigil.collector.incident.delivery.Outbox;
import dev.vigil.collector.incident.delivery.SendResult;
import dev.vigil.collector.sla.BurnRates;
import dev.vigil.collector.sla.SlaResult;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
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
                sla: gold
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
    Rig rig;

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

    private Rig rig(IncidentPolicy policy) throws Exception {
        rig = new Rig(vertx, dir, YAML, policy).started();
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
        assertThat(incident.detectedEpochMillis()).isEqualTo(at(3) + Rig.RECEIVE_DELAY);
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
        assertThat(opened.getString("detectedAt")).isEqualTo(iso(at(3) + Rig.RECEIVE_DELAY));
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
    void anOutageOpenedWhenItsMaintenanceEndedHasTheSameEventsWhenTheJournalIsReplayed() throws Exception {
        rig(POLICY).play("edge-1/maint " + "S".repeat(70) + "F".repeat(52));
        String key = "service/maint@" + at(70);
        rig.tickAt(121);
        rig.play("edge-1/maint SSS");
        Incident live = rig.incident(key);
        assertThat(live.timeline()).extracting(IncidentNote::atEpochMillis, IncidentNote::text)
                .contains(org.assertj.core.groups.Tuple.tuple(at(120), "unmuted"));
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":resolved");

        // The replay has no tick between the window's end and the recovery: it must notice the end itself.
        rig.restart(true);
        rig.started();

        assertThat(rig.incident(key).toJson(OptionalLong.empty())).isEqualTo(live.toJson(OptionalLong.empty()));
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":resolved", key + ":opened",
                key + ":resolved");
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

    private Optional<String> figures() throws Exception {
        return figures("web");
    }

    /** Hands the book the service's figures as of now, as the metrics computation does; returns the burn-rate incident opened. */
    private Optional<String> figures(String service) throws Exception {
        return rig.onLoop(() -> {
            Optional<SlaResult> result = rig.engine.currentResult(service);
            List<BurnRates> rates = rig.engine.burnRates(service);
            List<String> before = rig.book.incidents().stream().map(Incident::key).toList();
            rig.book.serviceFigures(service, result, rates, rig.clock.millis());
            return rig.book.incidents().stream().map(Incident::key)
                    .filter(k -> k.startsWith("burn_rate/") && !before.contains(k)).findFirst();
        });
    }

    @Test
    void anAlertOpensOnceAndResolvesAndTheLogKeepsIt() throws Exception {
        rig(POLICY);
        long startsAt = Rig.START - 30_000;
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
        assertThat(incident.detectedEpochMillis()).isEqualTo(Rig.START);

        rig.onLoop(() -> rig.book.alert("fp1", startsAt, OptionalLong.empty(), labels, annotations));
        assertThat(rig.incident(key)).isEqualTo(incident);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened");
        assertThat(rig.log.incidents().get(key)).isEqualTo(incident);

        rig.clock.set(Rig.START + 120_000);
        rig.onLoop(() -> rig.book.alert("fp1", startsAt, OptionalLong.of(Rig.START + 60_000), labels,
                annotations));
        assertThat(rig.incident(key).resolvedEpochMillis()).hasValue(Rig.START + 60_000);
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened", key + ":resolved");
        assertThat(rig.log.incidents().get(key).status()).isEqualTo(IncidentStatus.RESOLVED);
    }

    @Test
    void anAlertAboutAServiceInMaintenanceIsMutedUntilTheWindowEnds() throws Exception {
        rig(POLICY);
        rig.clock.set(at(90));
        Map<String, String> labels = Map.of("alertname", "DiskFull", "severity", "warning", "service", "maint");

        String key = rig.onLoop(() -> rig.book.alert("fp2", at(89), OptionalLong.empty(), labels, Map.of()));
        assertThat(rig.incident(key).muted()).isTrue();
        assertThat(rig.sink.eventIds).isEmpty();

        rig.tickAt(121);
        assertThat(rig.incident(key).muted()).isFalse();
        assertThat(rig.sink.eventIds).containsExactly(key + ":opened");
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

    @Test
    void aBurnRateIncidentOpenAtARestartIsNeitherOpenedTwiceNorLeftOpen() throws Exception {
        rig(POLICY).play("edge-1/web " + "S".repeat(60) + "F".repeat(30));
        String key = figures().orElseThrow();

        rig.restart(false);
        rig.started();
        rig.play("edge-1/web " + "F".repeat(5));
        assertThat(figures()).isEmpty();
        rig.play("edge-1/web " + "S".repeat(40));
        figures();

        assertThat(rig.incidents()).extracting(Incident::key).filteredOn(k -> k.startsWith("burn_rate/"))
                .containsExactly(key);
        assertThat(rig.incident(key).status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(rig.sink.eventIds).filteredOn(id -> id.startsWith("burn_rate/"))
                .containsExactly(key + ":opened", key + ":resolved");
    }

    @Test
    void aBurnRateIncidentMutedByADependencyIsNotSentAfterARestart() throws Exception {
        rig(POLICY).play("edge-1/db SS" + "F".repeat(60), "edge-1/app SSSS" + "F".repeat(58));
        String key = figures("app").orElseThrow();
        assertThat(rig.incident(key).muted()).isTrue();
        assertThat(rig.sink.eventIds).noneMatch(id -> id.startsWith("burn_rate/"));

        rig.restart(false);
        rig.started();

        assertThat(rig.incident(key).muted()).isTrue();
        assertThat(rig.incident(key).status()).isEqualTo(IncidentStatus.OPEN);
        assertThat(rig.sink.eventIds).noneMatch(id -> id.startsWith("burn_rate/"));
    }

    @Test
    void aBurnRateIncidentThatResolvedMutedIsNeverSentEvenAfterARestart() throws Exception {
        rig(POLICY).play("edge-1/db SS" + "F".repeat(60), "edge-1/app SSSS" + "F".repeat(58));
        String key = figures("app").orElseThrow();
        rig.play("edge-1/db " + "F".repeat(40), "edge-1/app " + "S".repeat(40));
        figures("app");
        assertThat(rig.incident(key).status()).isEqualTo(IncidentStatus.RESOLVED);

        rig.restart(true);
        rig.started();

        assertThat(rig.incident(key).status()).isEqualTo(IncidentStatus.RESOLVED);
        assertThat(rig.sink.eventIds).noneMatch(id -> id.startsWith("burn_rate/"));
    }

    @Test
    void anAcknowledgedIncidentThatResolvedReadsTheSameAfterARestart() throws Exception {
        rig(POLICY).play("edge-1/web SSFFF");
        String key = "service/web@" + at(2);
        rig.onLoop(() -> rig.book.acknowledge(key, new Acknowledgement(rig.clock.millis(), "alice", "api")));
        rig.play("edge-1/web FSSS");
        Incident live = rig.incident(key);
        assertThat(live.status()).isEqualTo(IncidentStatus.RESOLVED);

        rig.restart(false);

        assertThat(rig.incident(key).toJson(OptionalLong.empty())).isEqualTo(live.toJson(OptionalLong.empty()));
    }

    @Test
    void anAcknowledgementBeforeAnEscalationKeepsItsPlaceAndItsUpdateNumberAfterARestart() throws Exception {
        rig(POLICY).play("edge-1/api SSFFF", "edge-1/api-db SSSSS");
        String key = "service/api@" + at(2);
        rig.onLoop(() -> rig.book.acknowledge(key, new Acknowledgement(rig.clock.millis(), "alice", "api")));
        rig.play("edge-1/api FFF", "edge-1/api-db FFF");
        List<String> liveIds = List.copyOf(rig.sink.eventIds);
        assertThat(liveIds).containsExactly(key + ":opened", key + ":updated:1", key + ":updated:2");
        List<JsonObject> livePayloads = List.copyOf(rig.sink.incidents);
        Incident live = rig.incident(key);

        rig.restart(true);
        rig.started();

        assertThat(rig.incident(key).toJson(OptionalLong.empty())).isEqualTo(live.toJson(OptionalLong.empty()));
        assertThat(rig.sink.eventIds.subList(3, rig.sink.eventIds.size())).isEqualTo(liveIds);
        assertThat(rig.sink.incidents.subList(3, rig.sink.incidents.size())).isEqualTo(livePayloads);
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

    /**
     * A real board, SLA engine, incident book, incident log and outbox on one Vert.x context, fed with samples
     * one minute apart on an injected clock; the outbox's one sink records what it is sent. Each sample is
     * received two seconds after its scheduled time.
     */
    static final class Rig implements AutoCloseable {
        static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
        static final long MINUTE = 60_000;
        static final long RECEIVE_DELAY = 2_000;

        final Vertx vertx;
        final Context context;
        final Path dir;
        final Catalogue catalogue;
        final IncidentPolicy policy;
        final TestClock clock = new TestClock(START);
        final RecordingSink sink = new RecordingSink();
        final List<Fed> fed = new ArrayList<>();
        SlaEngine engine;
        CheckBoard board;
        IncidentBook book;
        IncidentLog log;
        Outbox outbox;
        int outboxes;
        long journalIndex;
        long minute;

        /** What was applied: replayed as is by {@link #restart}. */
        record Fed(String agent, Sample sample, long received, long journalIndex) {
        }

        Rig(Vertx vertx, Path dir, String yaml, IncidentPolicy policy) throws Exception {
            this.vertx = vertx;
            this.context = vertx.getOrCreateContext();
            this.dir = dir;
            this.catalogue = CollectorConfig.parse("collector.yaml", yaml, name -> null, dir).catalogue().catalogue();
            this.policy = policy;
            onLoop(() -> {
                log = IncidentLog.open(dir.resolve("incidents"));
                outbox = newOutbox();
                build();
            });
        }

        private Outbox newOutbox() {
            return Outbox.open(vertx, List.of(new Outbox.Route(sink, incident -> true)),
                    dir.resolve("outbox-" + outboxes++), -1, new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)),
                    new PrometheusRegistry());
        }

        private void build() {
            engine = new SlaEngine(clock, Thresholds.DEFAULT, catalogue, key -> Optional.empty());
            book = new IncidentBook(engine, outbox, policy, clock, () -> journalIndex - 1, log);
            board = new CheckBoard(Thresholds.DEFAULT, List.of(engine, book));
        }

        /** Starts the outbox: what was enqueued is sent, and what comes later as it comes. */
        Rig started() throws Exception {
            onLoop(() -> outbox.start());
            return this;
        }

        /**
         * Plays samples minute by minute from the current minute on, one line per location:
         * {@code "edge-1/web SSFF"} (S success, F failure, '.' no sample); the lines' locations report in
         * line order within each minute. The current minute then moves past the longest line.
         */
        void play(String... lines) throws Exception {
            int length = 0;
            for (String line : lines) {
                length = Math.max(length, line.substring(line.indexOf(' ') + 1).length());
            }
            int steps = length;
            onLoop(() -> {
                for (int i = 0; i < steps; i++) {
                    for (String line : lines) {
                        String pattern = line.substring(line.indexOf(' ') + 1);
                        if (i >= pattern.length() || pattern.charAt(i) == '.') {
                            continue;
                        }
                        String location = line.substring(0, line.indexOf(' '));
                        int slash = location.indexOf('/');
                        apply(location.substring(0, slash), sample(location.substring(slash + 1), at(minute + i),
                                pattern.charAt(i) == 'S'));
                    }
                }
            });
            minute += steps;
        }

        private void apply(String agent, Sample sample) {
            long received = sample.scheduledEpochMillis() + RECEIVE_DELAY;
            clock.set(received);
            fed.add(new Fed(agent, sample, received, journalIndex));
            board.apply(agent, sample, received, journalIndex++);
        }

        /** Sets the clock to {@code minutes} after the start (plus the receive delay) and runs a tick. */
        void tickAt(long minutes) throws Exception {
            clock.set(at(minutes) + RECEIVE_DELAY);
            onLoop(() -> book.tick());
        }

        /** The scheduled time of minute {@code minutes}. */
        static long at(long minutes) {
            return START + minutes * MINUTE;
        }

        static Sample sample(String check, long scheduled, boolean success) {
            return new Sample(check, scheduled, 0, success ? Outcome.OK : Outcome.TIMEOUT, -1, -1, -1, -1, 5_000_000,
                    success ? 200 : 0, success ? "" : "timed out");
        }

        Incident incident(String key) throws Exception {
            return onLoop(() -> book.incident(key)).orElseThrow(() -> new AssertionError("no incident " + key));
        }

        List<Incident> incidents() throws Exception {
            return onLoop(() -> book.incidents());
        }

        /**
         * Builds a new engine, board and book over the same incident log (closed and opened again, as a
         * restarted collector does) and a fresh or the same outbox directory, replays every sample fed so far
         * and applies the log, as the collector does after a restart without a snapshot. The outbox is not
         * started.
         */
        void restart(boolean freshOutbox) throws Exception {
            onLoop(() -> {
                outbox.close();
                log.close();
                log = IncidentLog.open(dir.resolve("incidents"));
                if (!freshOutbox) {
                    outboxes--;
                }
                outbox = newOutbox();
                build();
                for (Fed item : fed) {
                    board.apply(item.agent(), item.sample(), item.received(), item.journalIndex());
                }
                book.applyLog();
            });
        }

        void onLoop(Runnable work) throws Exception {
            onLoop(() -> {
                work.run();
                return null;
            });
        }

        /** Runs {@code work} on the rig's event loop, where the book and the outbox must be used. */
        <T> T onLoop(Callable<T> work) throws Exception {
            CompletableFuture<T> result = new CompletableFuture<>();
            context.runOnContext(ignored -> {
                try {
                    result.complete(work.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
            });
            return result.get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws Exception {
            onLoop(() -> {
                outbox.close();
                log.close();
            });
        }

        /** A sink that accepts every event and records it. */
        static final class RecordingSink implements IncidentSink {
            final List<String> eventIds = new CopyOnWriteArrayList<>();
            final List<JsonObject> incidents = new CopyOnWriteArrayList<>();

            @Override
            public String name() {
                return "recorder";
            }

            @Override
            public Future<SendResult> send(IncidentEvent event) {
                eventIds.add(event.eventId());
                incidents.add(event.incident().toJson(OptionalLong.empty()));
                return Future.succeededFuture(new SendResult.Delivered(200));
            }

            /** The incident JSON sent with the event {@code eventId}. */
            JsonObject sent(String eventId) {
                int at = eventIds.indexOf(eventId);
                if (at < 0) {
                    throw new AssertionError("never sent " + eventId + "; sent " + eventIds);
                }
                return incidents.get(at);
            }
        }
    }
}
