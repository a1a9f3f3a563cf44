package dev.vigil.collector.kpi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KpiRoutesTest {
    private final HttpClient client = HttpClient.newHttpClient();
    private final AtomicBoolean ready = new AtomicBoolean(true);
    private Vertx vertx;
    private int port;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        Router router = Router.router(vertx);
        new KpiRoutes(KpiScenario::incidents, KpiConfig.DEFAULT,
                InstantSource.fixed(Instant.ofEpochMilli(KpiScenario.NOW)), ready::get).mount(router);
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        port = server.actualPort();
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void theCurrentMonthIsTheDefaultAndEveryServiceIsListed() throws Exception {
        HttpResponse<String> response = get("/api/v1/kpis");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("period")).isEqualTo("2026-11");
        assertThat(body.getString("from")).isEqualTo("2026-11-01T00:00:00Z");
        assertThat(body.getString("to")).isEqualTo("2026-12-01T00:00:00Z");
        assertThat(body.getJsonArray("services")).hasSize(2);
        JsonObject web = body.getJsonArray("services").getJsonObject(1);
        assertThat(web.getString("service")).isEqualTo("web");
        assertThat(web.getInteger("incidents")).isEqualTo(5);
        assertThat(web.getInteger("unacknowledged")).isEqualTo(1);
        JsonObject restore = web.getJsonObject("restore");
        assertThat(restore.getDouble("targetSeconds")).isEqualTo(14400.0);
        assertThat(restore.getDouble("meanSeconds")).isEqualTo(7050.0);
        assertThat(restore.getDouble("metPercent")).isEqualTo(75.0);
        assertThat(restore.getInteger("pending")).isEqualTo(1);
    }

    @Test
    void theServiceAndPeriodParametersNarrowTheAnswer() throws Exception {
        JsonObject october = new JsonObject(get("/api/v1/kpis?period=previous&service=web").body());

        assertThat(october.getString("period")).isEqualTo("2026-10");
        JsonObject web = october.getJsonArray("services").getJsonObject(0);
        assertThat(october.getJsonArray("services")).hasSize(1);
        // F alone: detected after 600 s, acknowledged 60 s later, restored after 60000 s.
        assertThat(web.getJsonObject("detect").getDouble("meanSeconds")).isEqualTo(600.0);
        assertThat(web.getJsonObject("acknowledge").getDouble("metPercent")).isEqualTo(100.0);
        assertThat(web.getJsonObject("restore").getDouble("metPercent")).isEqualTo(0.0);

        JsonObject quiet = new JsonObject(get("/api/v1/kpis?period=2026-09&service=web").body());
        assertThat(quiet.getJsonArray("services").getJsonObject(0).getInteger("incidents")).isZero();
        assertThat(quiet.getJsonArray("services").getJsonObject(0).getJsonObject("detect").getValue("meanSeconds"))
                .isNull();
    }

    @Test
    void aWrongParameterIsNamedInTheError() throws Exception {
        assertError("/api/v1/kpis?period=2026-13", 400, "period must be current, previous or a month in UTC like "
                + "2026-11 (was '2026-13')");
        assertError("/api/v1/kpis?period=last", 400, "period must be current, previous or a month in UTC like "
                + "2026-11 (was 'last')");
        assertError("/api/v1/kpis?period=2026-12", 400, "period must not be after the current month 2026-11 "
                + "(was '2026-12')");
        assertError("/api/v1/kpis?service=", 400, "service must name a service (was empty)");
    }

    @Test
    void whileTheJournalIsReplayedTheAnswerIsRetryLater() throws Exception {
        ready.set(false);

        HttpResponse<String> response = get("/api/v1/kpis");

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).contains("1");
    }

    private void assertError(String path, int status, String message) throws Exception {
        HttpResponse<String> response = get(path);
        assertThat(response.statusCode()).as(path).isEqualTo(status);
        assertThat(new JsonObject(response.body()).getString("error")).isEqualTo(message);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
