package dev.vigil.collector.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.vigil.collector.Collector;
import dev.vigil.collector.catalogue.CatalogueHttp.Answer;
import dev.vigil.collector.config.CollectorConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The API's changes live in {@code catalogue.json} and come back after a restart of the collector. */
class CatalogueRestartTest {
    @TempDir
    Path dir;

    @Test
    void changesMadeThroughTheApiSurviveARestart() throws IOException {
        JsonObject services;
        JsonObject slas;
        JsonObject calendars;
        JsonObject maintenance;
        try (Collector first = start(CatalogueApiTest.CONFIG)) {
            CatalogueHttp api = new CatalogueHttp(first.baseUri(), CatalogueApiTest.ADMIN_TOKEN);
            ok(api.put("/api/v1/calendars/support",
                    "{\"zone\": \"Asia/Tokyo\", \"hours\": {\"mon-fri\": \"09:00-17:00\"}}"));
            ok(api.put("/api/v1/slas/silver", "{\"calendar\": \"support\", \"period\": \"quarter\", "
                    + "\"objectives\": [{\"availability\": \"99.5%\"}]}"));
            ok(api.put("/api/v1/services/shop", "{\"owner\": \"team-shop\", \"sla\": \"silver\", "
                    + "\"depends_on\": [\"web\"], "
                    + "\"description\": \"\\u00c9picerie \\\"fine\\\" \\\\ \\ud83d\\uded2\"}"));
            ok(api.post("/api/v1/maintenance", "{\"start\": \"2099-01-01T00:00:00Z\", \"for\": \"1h\", "
                    + "\"created_by\": \"alice\", \"reason\": \"far away\"}"));
            ok(api.post("/api/v1/maintenance", "{\"every\": {\"weekly\": \"sat-sun\", \"at\": \"01:00\", "
                    + "\"for\": \"1h\", "
                    + "\"zone\": \"UTC\"}, \"created_by\": \"alice\", \"reason\": \"weekend jobs\"}"));
            ok(api.delete("/api/v1/maintenance/api-2?by=bob"));
            services = api.get("/api/v1/services").json();
            slas = api.get("/api/v1/slas").json();
            calendars = api.get("/api/v1/calendars").json();
            maintenance = api.get("/api/v1/maintenance").json();
        }
        assertThat(Files.exists(dir.resolve("data/catalogue.json.tmp"))).isFalse();

        try (Collector second = start(CatalogueApiTest.CONFIG)) {
            CatalogueHttp api = new CatalogueHttp(second.baseUri(), CatalogueApiTest.ADMIN_TOKEN);

            assertThat(withoutVersion(api.get("/api/v1/services").json())).isEqualTo(withoutVersion(services));
            assertThat(withoutVersion(api.get("/api/v1/slas").json())).isEqualTo(withoutVersion(slas));
            assertThat(withoutVersion(api.get("/api/v1/calendars").json())).isEqualTo(withoutVersion(calendars));
            assertThat(withoutVersion(api.get("/api/v1/maintenance").json())).isEqualTo(withoutVersion(maintenance));
            assertThat(api.get("/api/v1/services").json().getLong("version"))
                    .isGreaterThan(services.getLong("version"));
            assertThat(api.get("/api/v1/services/shop").json().getString("description"))
                    .isEqualTo("Épicerie \"fine\" \\ 🛒");
            assertThat(api.get("/api/v1/slas/silver").json().getString("period")).isEqualTo("quarter");
            assertThat(api.get("/api/v1/maintenance/api-2").json().getString("ended_by")).isEqualTo("bob");
            // The counter of generated ids survives too: no second api-1.
            assertThat(api.post("/api/v1/maintenance", "{\"start\": \"2099-02-01T00:00:00Z\", \"for\": \"1h\", "
                    + "\"created_by\": \"alice\", \"reason\": \"later\"}").location())
                    .isEqualTo("/api/v1/maintenance/api-3");
        }
    }

    @Test
    void anItemTheFileNowDefinesWinsOverTheApisCopy() throws IOException {
        try (Collector first = start(CatalogueApiTest.CONFIG)) {
            ok(new CatalogueHttp(first.baseUri(), CatalogueApiTest.ADMIN_TOKEN).put("/api/v1/services/shop",
                    "{\"owner\": \"api-owner\"}"));
        }
        String promoted = CatalogueApiTest.CONFIG.replace("maintenance:\n",
                "  - name: shop\n    owner: yaml-owner\nmaintenance:\n");
        Logger logger = (Logger) LoggerFactory.getLogger(CatalogueStore.class);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        logger.addAppender(log);
        try (Collector second = start(promoted)) {
            CatalogueHttp api = new CatalogueHttp(second.baseUri(), CatalogueApiTest.ADMIN_TOKEN);

            JsonObject shop = api.get("/api/v1/services/shop").json();
            assertThat(shop.getString("owner")).isEqualTo("yaml-owner");
            assertThat(shop.getString("source")).isEqualTo("collector.yaml");
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage).anyMatch(line -> line.startsWith(
                    "The service shop made through the API is left out: collector.yaml now defines it"));
            ok(api.put("/api/v1/services/other", "{}"));
            assertThat(Files.readString(dir.resolve("data/catalogue.json"), StandardCharsets.UTF_8))
                    .doesNotContain("api-owner").contains("\"other\"");
        } finally {
            logger.detachAppender(log);
        }
    }

    @Test
    void refusesToStartWhenTheApisChangesNameAnAgentTheFileNoLongerLists() {
        try (Collector first = start(CatalogueApiTest.CONFIG)) {
            ok(new CatalogueHttp(first.baseUri(), CatalogueApiTest.ADMIN_TOKEN).put("/api/v1/services/shop",
                    "{\"checks\": [{\"check\": \"shop-https\", \"agents\": [\"edge-2\"]}]}"));
        }
        String withoutEdge2 = CatalogueApiTest.CONFIG.replace("  - name: edge-2\n    token: edge-2-token\n", "")
                .replace("agents: [edge-1, edge-2]\n        quorum: 2", "agents: [edge-1]");
        Path overlay = dir.resolve("data/catalogue.json");

        assertThatThrownBy(() -> start(withoutEdge2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the catalogue changes made through the API do not fit collector.yaml: "
                        + "services[0].checks[0].agents[0] names no agent 'edge-2' (agents: edge-1) at " + overlay
                        + ":")
                .hasMessageEndingWith("; fix collector.yaml or that file (its items are the API's, with the fields of "
                        + "collector.yaml)");
    }

    private Collector start(String yaml) {
        return Collector.start(CollectorConfig.parse("collector.yaml", yaml, name -> null, dir),
                InstantSource.system());
    }

    private static void ok(Answer answer) {
        assertThat(answer.status()).as(answer.body()).isBetween(200, 299);
    }

    private static JsonObject withoutVersion(JsonObject list) {
        JsonObject copy = list.copy();
        copy.remove("version");
        return copy;
    }
}
