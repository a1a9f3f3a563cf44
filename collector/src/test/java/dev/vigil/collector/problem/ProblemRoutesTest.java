package dev.vigil.collector.problem;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.config.TokenDigest;
import dev.vigil.collector.incident.Incident;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The problems API on a small Vert.x server on loopback, over incidents a test puts in place. */
class ProblemRoutesTest {
    static final String ADMIN_TOKEN = "admin-token";

    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(Instant.parse("2026-11-10T12:00:00Z").toEpochMilli());
    final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    final List<Incident> incidents = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();
    Vertx vertx;
    HttpServer server;

    @BeforeEach
    void startServer() throws Exception {
        vertx = Vertx.vertx();
        incidents.addAll(List.of(
                Outages.of("web", "2026-11-02T03:10:00Z", "STATUS_MISMATCH: 503", "edge-1"),
                Outages.of("web", "2026-11-04T03:20:00Z", "STATUS_MISMATCH: 503", "edge-2"),
                Outages.of("web", "2026-11-08T14:00:00Z", "TIMEOUT: no answer", "edge-1"),
                Outages.of("shop", "2026-11-03T14:00:00Z")));
        serve(book());
    }

    ProblemBook book() {
        return ProblemBook.open(ProblemConfig.DEFAULT, () -> List.copyOf(incidents), clock,
                dir.resolve("problems.json"));
    }

    void serve(ProblemBook book) throws Exception {
        if (server != null) {
            server.close().toCompletionStage().toCompletableFuture().get();
        }
        Router router = Router.router(vertx);
        new ProblemRoutes(book, Optional.of(TokenDigest.of(ADMIN_TOKEN))).mount(router);
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").toCompletionStage()
                .toCompletableFuture().get();
    }

    @AfterEach
    void stopServer() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get();
    }

    @Test
    void listsTheOpenProblemWithItsIncidentsAndPattern() throws Exception {
        HttpResponse<String> answer = get("/api/v1/problems?status=open&service=web");

        assertThat(answer.statusCode()).isEqualTo(200);
        JsonObject problem = new JsonObject(answer.body()).getJsonArray("problems").getJsonObject(0);
        assertThat(problem.getString("key")).isEqualTo("problem/web@" + millis("2026-11-02T03:10:00Z"));
        assertThat(problem.getString("status")).isEqualTo("open");
        assertThat(problem.getInteger("incident_count")).isEqualTo(3);
        assertThat(problem.getJsonObject("pattern")).isEqualTo(new JsonObject("""
                {"by_hour_utc": {"03": 2, "14": 1}, "by_weekday": {"mon": 1, "wed": 1, "sun": 1},
                 "by_outcome": {"STATUS_MISMATCH": 2, "TIMEOUT": 1}, "by_location": {"edge-1": 2, "edge-2": 1},
                 "by_failure": {"STATUS_MISMATCH 503": 2, "TIMEOUT": 1}}
                """));
        assertThat(problem.getString("rule")).isEqualTo("recurrence");
        assertThat(problem.getValue("failure")).isNull();
        assertThat(new JsonObject(get("/api/v1/problems?status=closed").body()).getJsonArray("problems")).isEmpty();
        assertThat(new JsonObject(get("/api/v1/problems?service=shop").body()).getJsonArray("problems")).isEmpty();
        assertThat(get("/api/v1/problems?status=maybe").body())
                .contains("status must be open or closed (was 'maybe')");
        assertThat(get("/api/v1/problems/" + problem.getString("id")).body()).isEqualTo(problem.encode());
        assertThat(get("/api/v1/problems/problem%2Fnope%401").statusCode()).isEqualTo(404);
    }

    @Test
    void closesAProblemWithARootCauseAndTheAdminTokenOnly() throws Exception {
        String id = Incident.idOf("problem/web@" + millis("2026-11-02T03:10:00Z"));
        String path = "/api/v1/problems/" + id + "/close";
        assertThat(post(path, "{\"root_cause\": \"x\"}", null).statusCode()).isEqualTo(401);
        HttpResponse<String> missing = post(path, "{\"by\": \"ops\"}", ADMIN_TOKEN);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(missing.body()).contains("root_cause is required");
        assertThat(post(path, "{\"root_cause\": \"  \"}", ADMIN_TOKEN).body()).contains("root_cause is required");

        HttpResponse<String> closed = post(path, "{\"root_cause\": \"certificate renewal cron broken\", "
                + "\"by\": \"alice\"}", ADMIN_TOKEN);

        assertThat(closed.statusCode()).isEqualTo(200);
        JsonObject problem = new JsonObject(closed.body());
        assertThat(problem.getString("status")).isEqualTo("closed");
        assertThat(problem.getString("root_cause")).isEqualTo("certificate renewal cron broken");
        assertThat(problem.getString("closed_by")).isEqualTo("alice");
        assertThat(problem.getString("closed_at")).isEqualTo("2026-11-10T12:00:00Z");
        assertThat(post(path, "{\"root_cause\": \"again\"}", ADMIN_TOKEN).statusCode()).isEqualTo(409);
        assertThat(Files.exists(dir.resolve("problems.json"))).isTrue();
    }

    @Test
    void aClosureSurvivesAReopenOfTheStoreAndTheNextRunOpensANewProblem() throws Exception {
        String key = "problem/web@" + millis("2026-11-02T03:10:00Z");
        post("/api/v1/problems/" + Incident.idOf(key) + "/close", "{\"root_cause\": \"bad deploy\"}", ADMIN_TOKEN);
        incidents.add(Outages.of("web", "2026-11-11T01:00:00Z"));
        incidents.add(Outages.of("web", "2026-11-12T01:00:00Z"));
        incidents.add(Outages.of("web", "2026-11-13T01:00:00Z"));

        serve(book());

        JsonObject first = new JsonObject(get("/api/v1/problems/" + Incident.idOf(key)).body());
        assertThat(first.getString("status")).isEqualTo("closed");
        assertThat(first.getString("root_cause")).isEqualTo("bad deploy");
        assertThat(first.getInteger("incident_count")).isEqualTo(3);
        assertThat(new JsonObject(get("/api/v1/problems?status=open").body()).getJsonArray("problems")
                .getJsonObject(0).getString("key")).isEqualTo("problem/web@" + millis("2026-11-11T01:00:00Z"));
    }

    @Test
    void reportsTheRepeatFailureRateOfAMonth() throws Exception {
        JsonObject rate = new JsonObject(get("/api/v1/problems/repeat-rate?period=2026-11").body());

        assertThat(rate).isEqualTo(new JsonObject("""
                {"period": "2026-11", "incidents": 4, "repeat_incidents": 3, "repeat_rate_ratio": 0.75,
                 "subjects": [{"subject": "shop", "incidents": 1, "repeat_incidents": 0, "repeat_rate_ratio": 0.0},
                              {"subject": "web", "incidents": 3, "repeat_incidents": 3, "repeat_rate_ratio": 1.0}]}
                """));
        assertThat(get("/api/v1/problems/repeat-rate?period=2026-13").body())
                .contains("period must be current, previous or a month in UTC like ").contains("(was '2026-13')");
    }

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.actualPort() + path);
    }

    static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
