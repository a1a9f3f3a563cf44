package dev.vigil.collector.change;

import static dev.vigil.collector.change.ChangeFixtures.DAY;
import static dev.vigil.collector.change.ChangeFixtures.DEPLOY;
import static dev.vigil.collector.change.ChangeFixtures.MINUTE;
import static dev.vigil.collector.change.ChangeFixtures.SERVICES;
import static dev.vigil.collector.change.ChangeFixtures.outage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.catalogue.CatalogueConfig;
import dev.vigil.collector.catalogue.CatalogueStore;
import dev.vigil.collector.catalogue.MaintenanceEntry;
import dev.vigil.collector.config.TokenDigest;
import dev.vigil.collector.incident.Incident;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The change API on a real Vert.x HTTP server on loopback, over a real store file. */
class ChangeRoutesTest {
    static final String TOKEN = "admin-token";
    static final String DEPLOY_BODY = """
            {"service": "web", "summary": "deploy web 1.2.3", "by": "alice", "start": "2026-11-03T10:00:00Z",
             "end": "2026-11-03T10:05:00Z", "risk": "medium", "rollback_plan": "redeploy 1.2.2",
             "external_id": "deploy-77", "approved": true}
            """;

    @TempDir
    Path dir;
    final List<Incident> incidents = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    final AtomicBoolean replayed = new AtomicBoolean(true);
    Vertx vertx;
    CatalogueStore catalogue;
    HttpServer server;
    URI base;

    record Answer(int status, String body, Optional<String> location) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        catalogue = CatalogueStore.open(vertx, new CatalogueConfig(SERVICES, "collector.yaml", Optional.empty()),
                Set.of(), dir.resolve("catalogue.json"));
        new ChangeRoutes(ChangeStore.open(dir.resolve("changes.json")), ChangeConfig.DEFAULT, catalogue,
                () -> List.copyOf(incidents), () -> Instant.ofEpochMilli(DEPLOY + DAY), Optional.of(TokenDigest.of(TOKEN)),
                replayed::get).mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        base = URI.create("http://127.0.0.1:" + server.actualPort());
    }

    @AfterEach
    void stopServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void recordsAChangeWithTheAdminTokenOnlyAndListsItByServiceAndTime() {
        assertThat(post("/api/v1/changes", DEPLOY_BODY, null).status()).isEqualTo(401);
        assertThat(post("/api/v1/changes", DEPLOY_BODY, "guess").json().getString("error"))
                .isEqualTo("the bearer token is not the admin token");

        Answer created = post("/api/v1/changes", DEPLOY_BODY, TOKEN);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).contains("/api/v1/changes/chg-1");
        assertThat(created.json()).isEqualTo(new JsonObject("""
                {"id": "chg-1", "service": "web", "summary": "deploy web 1.2.3", "by": "alice",
                 "start": "2026-11-03T10:00:00Z", "end": "2026-11-03T10:05:00Z", "risk": "medium",
                 "rollback_plan": "redeploy 1.2.2", "external_id": "deploy-77", "approved": true, "source": "api",
                 "links": [], "recorded": "2026-11-04T10:00:00Z"}
                """));
        assertThat(get("/api/v1/changes/chg-1").json()).isEqualTo(created.json());
        assertThat(get("/api/v1/changes?service=web&from=2026-11-03T10:04:00Z").json().getJsonArray("changes"))
                .hasSize(1);
        assertThat(get("/api/v1/changes?service=db").json().getJsonArray("changes")).isEmpty();
        assertThat(get("/api/v1/changes?from=2026-11-03T10:06:00Z").json().getJsonArray("changes")).isEmpty();
        assertThat(get("/api/v1/changes/chg-9").status()).isEqualTo(404);
    }

    @Test
    void answersTheExistingRecordForARepeatedExternalId() {
        Answer first = post("/api/v1/changes", DEPLOY_BODY, TOKEN);

        Answer again = post("/api/v1/changes", DEPLOY_BODY.replace("alice", "bob"), TOKEN);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json()).isEqualTo(first.json());
        assertThat(get("/api/v1/changes").json().getJsonArray("changes")).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            "start": "2026-11-03T10:00:00Z"        | "start": "yesterday"     | start must be RFC 3339 (was 'yesterday')
            "end": "2026-11-03T10:05:00Z"          | "end": 5                 | end must be RFC 3339 (was '5')
            "end": "2026-11-03T10:05:00Z"          | "end": "2026-11-03T09:00:00Z" | end must not be before start (was 2026-11-03T09:00:00Z < 2026-11-03T10:00:00Z)
            "risk": "medium"                       | "risk": "extreme"        | risk must be low, medium or high (was 'extreme')
            "service": "web"                       | "service": "shop"        | service must be a catalogue service (was 'shop')
            "by": "alice",                         | ''                       | by is required
            "approved": true                       | "approved": "yes"        | approved must be true or false (was yes)
            """)
    void namesTheFieldThatIsWrong(String field, String replacement, String message) {
        Answer answer = post("/api/v1/changes", DEPLOY_BODY.replace(field, replacement), TOKEN);

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().getString("error")).isEqualTo(message);
    }

    @Test
    void declaresAnApprovedChangeAsMaintenanceOfItsServiceWhenAsked() {
        Answer unapproved = post("/api/v1/changes", DEPLOY_BODY.replace("\"approved\": true",
                "\"approved\": false, \"as_maintenance\": true"), TOKEN);
        assertThat(unapproved.json().getString("error"))
                .isEqualTo("as_maintenance needs an approved change (approved: true)");

        Answer created = post("/api/v1/changes", DEPLOY_BODY.replace("\"approved\": true",
                "\"approved\": true, \"as_maintenance\": true"), TOKEN);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().getString("maintenance")).isEqualTo("chg-1");
        MaintenanceEntry window = catalogue.current().maintenanceWindow("chg-1").orElseThrow();
        assertThat(window.window().services()).containsExactly("web");
        assertThat(window.window().createdBy()).isEqualTo("alice");
        assertThat(window.window().reason()).isEqualTo("deploy web 1.2.3");
        assertThat(catalogue.current().maintenanceTime("web", DEPLOY - DAY, DEPLOY + DAY).totalMillis())
                .isEqualTo(5 * MINUTE);
        assertThat(catalogue.current().maintenanceTime("db", DEPLOY - DAY, DEPLOY + DAY).isEmpty()).isTrue();
    }

    @Test
    void takesAPagerDutyChangeEventOnTheServiceItNames() {
        String event = """
                {"routing_key": "R0ABC", "payload": {"summary": "Build 42 deployed", "timestamp": "2026-11-03T10:00:00Z",
                 "source": "web", "custom_details": {"service": "api", "by": "ci", "external_id": "build-42"}},
                 "links": [{"href": "https://ci.example/builds/42", "text": "build"}]}
                """;

        Answer created = post("/api/v1/changes/pagerduty", event, TOKEN);

        assertThat(created.status()).isEqualTo(201);
        JsonObject change = created.json();
        assertThat(change.getString("service")).isEqualTo("api");
        assertThat(change.getString("by")).isEqualTo("ci");
        assertThat(change.getString("risk")).isEqualTo("low");
        assertThat(change.getString("source")).isEqualTo("pagerduty");
        assertThat(change.getJsonArray("links")).containsExactly("https://ci.example/builds/42");
        assertThat(post("/api/v1/changes/pagerduty", event, TOKEN).status()).isEqualTo(200);
        assertThat(post("/api/v1/changes/pagerduty", event.replace("\"service\": \"api\", ", "")
                .replace("build-42", "build-43"), TOKEN)
                .json().getString("service")).isEqualTo("web");
        assertThat(post("/api/v1/changes/pagerduty", "{\"payload\": {\"summary\": \"x\"}}", TOKEN)
                .json().getString("error")).isEqualTo("payload.source or payload.custom_details.service is required");
    }

    @Test
    void listsTheMonthsOutagesWithTheChangesThatMayHaveCausedThem() {
        post("/api/v1/changes", DEPLOY_BODY, TOKEN);
        post("/api/v1/changes", DEPLOY_BODY.replace("deploy-77", "deploy-78")
                .replace("2026-11-03T10", "2026-11-10T10"), TOKEN);
        Incident soonAfter = outage("web", DEPLOY + 2 * MINUTE);
        Incident dayLater = outage("web", DEPLOY + DAY);
        incidents.addAll(List.of(dayLater, soonAfter));

        JsonObject report = get("/api/v1/changes/induced?period=2026-11").json();

        JsonArray listed = report.getJsonArray("incidents");
        assertThat(listed).hasSize(2);
        assertThat(listed.getJsonObject(0).getString("incident")).isEqualTo(dayLater.id());
        assertThat(listed.getJsonObject(0).getJsonArray("possible_causes")).isEmpty();
        assertThat(listed.getJsonObject(1).getString("incident")).isEqualTo(soonAfter.id());
        assertThat(listed.getJsonObject(1).getJsonArray("possible_causes").getJsonObject(0).getString("id"))
                .isEqualTo("chg-1");
        assertThat(report.getJsonArray("services")).containsExactly(new JsonObject("""
                {"service": "web", "changes": 2, "change_induced_incidents": 1, "change_success_ratio": 0.5}
                """));
        assertThat(report.getString("induced_window")).isEqualTo("30m");
        assertThat(get("/api/v1/changes/induced?period=2026-13").json().getString("error"))
                .startsWith("period must be current, previous or a month in UTC like ").endsWith("(was '2026-13')");
        assertThat(get("/api/v1/changes/induced?period=2026-10").json().getJsonArray("incidents")).isEmpty();
    }

    @Test
    void refusesToRecordAndToJudgeIncidentsUntilTheJournalIsReplayed() {
        post("/api/v1/changes", DEPLOY_BODY, TOKEN);
        incidents.add(outage("web", DEPLOY + 2 * MINUTE));
        replayed.set(false);

        Answer refused = post("/api/v1/changes", DEPLOY_BODY.replace("deploy-77", "deploy-78"), TOKEN);
        Answer refusedEvent = post("/api/v1/changes/pagerduty",
                "{\"payload\": {\"summary\": \"Build 42 deployed\", \"source\": \"web\"}}", TOKEN);
        Answer induced = get("/api/v1/changes/induced?period=2026-11");

        for (Answer answer : List.of(refused, refusedEvent, induced)) {
            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.json().getString("error"))
                    .isEqualTo("the collector is replaying its journal; retry shortly");
        }
        assertThat(post("/api/v1/changes", DEPLOY_BODY, "guess").status()).isEqualTo(401);
        // What reads only the change file answers, and shows that nothing of the refused posts was taken in.
        assertThat(get("/api/v1/changes").json().getJsonArray("changes")).hasSize(1);
        assertThat(get("/api/v1/changes/chg-1").status()).isEqualTo(200);
        assertThat(new JsonArray(get("/api/v1/annotations?from=0&to=" + (DEPLOY + DAY)).body())).hasSize(1);

        replayed.set(true);

        assertThat(post("/api/v1/changes", DEPLOY_BODY.replace("deploy-77", "deploy-78"), TOKEN).status())
                .isEqualTo(201);
        assertThat(get("/api/v1/changes/induced?period=2026-11").json().getJsonArray("incidents")).hasSize(1);
    }

    @Test
    void answersChangesAsGrafanaAnnotations() {
        post("/api/v1/changes", DEPLOY_BODY, TOKEN);
        post("/api/v1/changes", DEPLOY_BODY.replace("\"service\": \"web\"", "\"service\": \"db\"")
                .replace("deploy-77", "db-1").replace("\"end\": \"2026-11-03T10:05:00Z\", ", ""), TOKEN);

        JsonArray annotations = new JsonArray(get("/api/v1/annotations?from=" + (DEPLOY - DAY) + "&to="
                + (DEPLOY + 2 * DAY)).body());

        assertThat(annotations).hasSize(2);
        assertThat(annotations.getJsonObject(0)).isEqualTo(new JsonObject("""
                {"time": %d, "timeEnd": %d, "title": "web: deploy web 1.2.3",
                 "text": "deploy web 1.2.3 (by alice, risk medium, approved)\\nRollback: redeploy 1.2.2",
                 "tags": ["change", "web", "medium"]}
                """.formatted(DEPLOY, DEPLOY + 5 * MINUTE)));
        // Open-ended: it runs until now.
        assertThat(annotations.getJsonObject(1).getLong("timeEnd")).isEqualTo(DEPLOY + DAY);
        assertThat(new JsonArray(get("/api/v1/annotations?from=0&to=" + (DEPLOY + DAY) + "&service=db").body()))
                .hasSize(1);
        assertThat(get("/api/v1/annotations?from=later&to=1").json().getString("error"))
                .isEqualTo("from must be epoch milliseconds (was 'later')");
    }

    private Answer get(String path) {
        return send(HttpRequest.newBuilder(base.resolve(path)).GET(), null);
    }

    private Answer post(String path, String body, String token) {
        return send(HttpRequest.newBuilder(base.resolve(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json"), token);
    }

    private Answer send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 503) {
                assertThat(response.headers().firstValue("Retry-After")).contains("1");
            }
            return new Answer(response.statusCode(), response.body(), response.headers().firstValue("Location"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
