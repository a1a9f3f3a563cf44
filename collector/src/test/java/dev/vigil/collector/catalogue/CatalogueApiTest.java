package dev.vigil.collector.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.catalogue.CatalogueHttp.Answer;
import dev.vigil.collector.config.CollectorConfig;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The catalogue API of a real collector on loopback. */
class CatalogueApiTest {
    static final String ADMIN_TOKEN = "admin-token";
    static final String CONFIG = """
            listen: 127.0.0.1:0
            data_dir: data
            agents:
              - name: edge-1
                token: edge-1-token
              - name: edge-2
                token: edge-2-token
            api:
              admin_token: admin-token
            calendars:
              office:
                zone: Europe/Berlin
                hours:
                  mon-fri: "08:00-18:00"
            slas:
              gold:
                calendar: office
                objectives:
                  - availability: 99.9%
                  - latency: {threshold: 300ms, target: 99%}
            services:
              - name: web
                owner: team-web
                tier: gold
                sla: gold
                checks:
                  - check: web-https
                    agents: [edge-1, edge-2]
                    quorum: 2
            maintenance:
              - id: sunday-patching
                every: {weekly: [sun], at: "02:00", for: 2h, zone: Europe/Berlin}
                created_by: ops
                reason: OS patching
            """;

    @TempDir
    Path dir;
    final AtomicLong now = new AtomicLong(Instant.parse("2026-11-27T10:00:00Z").toEpochMilli());
    final InstantSource clock = () -> Instant.ofEpochMilli(now.get());
    Collector collector;
    CatalogueHttp api;

    @BeforeEach
    void startCollector() {
        collector = Collector.start(CollectorConfig.parse("collector.yaml", CONFIG, name -> null, dir), clock);
        api = new CatalogueHttp(collector.baseUri(), ADMIN_TOKEN);
    }

    @AfterEach
    void stopCollector() {
        collector.close();
    }

    @Test
    void listsTheServicesWithTheirChecksSlaDependenciesAndWhereTheyAreDefined() {
        Answer answer = api.get("/api/v1/services");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEqualTo(new JsonObject("""
                {"version": 1, "services": [{"name": "web", "owner": "team-web", "customer": null, "tier": "gold",
                  "description": null, "depends_on": [], "sla": "gold",
                  "checks": [{"check": "web-https", "agents": ["edge-1", "edge-2"], "quorum": 2,
                              "no_data_after": null}],
                  "suppliers": [], "source": "collector.yaml"}]}
                """));
        assertThat(api.get("/api/v1/slas/gold").json()).isEqualTo(new JsonObject("""
                {"name": "gold", "period": "month", "calendar": "office", "no_data": "exclude",
                 "objectives": [{"availability": 0.999}, {"latency": {"threshold": "300ms", "target": 0.99}}],
                 "source": "collector.yaml"}
                """));
        assertThat(api.get("/api/v1/calendars").json().getJsonArray("calendars").getJsonObject(0)).isEqualTo(
                new JsonObject("""
                        {"name": "24x7", "zone": "Z", "holidays": [], "source": "built-in"}
                        """));
        assertThat(api.get("/api/v1/calendars/office").json().getJsonObject("hours").getJsonArray("wed"))
                .containsExactly("08:00-18:00");
    }

    @Test
    void createsReplacesAndDeletesAServiceWithTheAdminTokenOnly() {
        String shop = """
                {"owner": "team-shop", "customer": "ACME", "tier": "silver", "description": "Caf\\u00e9 \\/ shop",
                 "depends_on": ["web"], "sla": "gold",
                 "checks": [{"check": "shop-https", "agents": ["edge-2"], "no_data_after": "3m"}]}
                """;
        assertThat(api.withToken(null).put("/api/v1/services/shop", shop).status()).isEqualTo(401);
        Answer wrong = api.withToken("guess").put("/api/v1/services/shop", shop);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).isEqualTo("the bearer token is not the admin token");

        Answer created = api.put("/api/v1/services/shop", shop);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).isEqualTo("/api/v1/services/shop");
        assertThat(created.json()).isEqualTo(new JsonObject("""
                {"name": "shop", "owner": "team-shop", "customer": "ACME", "tier": "silver",
                 "description": "Caf\\u00e9 / shop", "depends_on": ["web"], "sla": "gold",
                 "checks": [{"check": "shop-https", "agents": ["edge-2"], "quorum": 1, "no_data_after": "3m"}],
                 "suppliers": [], "source": "api"}
                """));
        JsonObject list = api.get("/api/v1/services").json();
        assertThat(list.getLong("version")).isEqualTo(2);
        assertThat(list.getJsonArray("services").stream().map(s -> ((JsonObject) s).getString("name")))
                .containsExactly("web", "shop");

        Answer replaced = api.put("/api/v1/services/shop", created.json().put("owner", "team-retail").encode());
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json()).isEqualTo(created.json().put("owner", "team-retail"));

        assertThat(api.delete("/api/v1/services/shop").status()).isEqualTo(204);
        Answer gone = api.get("/api/v1/services/shop");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.error()).isEqualTo("no service 'shop'");
        assertThat(api.get("/api/v1/services").json().getLong("version")).isEqualTo(4);
    }

    @Test
    void takesBackWhatItShows() {
        api.put("/api/v1/calendars/support", """
                {"zone": "America/New_York", "hours": {"mon-fri": ["07:00-12:00", "13:00-19:00"], "sat": "10:00-14:00"},
                 "holidays": ["2026-12-25"]}
                """);
        api.put("/api/v1/slas/silver", """
                {"period": "rolling 7d", "calendar": "support", "no_data": "down",
                 "objectives": [{"availability": "99.5%"}, {"latency": {"percentile": "p99.9", "threshold": "1500us"}}]}
                """);

        for (String path : new String[] {"/api/v1/calendars/support", "/api/v1/slas/silver"}) {
            JsonObject shown = api.get(path).json();
            Answer sentBack = api.put(path, shown.encode());
            assertThat(sentBack.status()).as(sentBack.body()).isEqualTo(200);
            assertThat(sentBack.json()).isEqualTo(shown);
        }
        assertThat(api.get("/api/v1/slas/silver").json()).isEqualTo(new JsonObject("""
                {"name": "silver", "period": "rolling 7d", "calendar": "support", "no_data": "down",
                 "objectives": [{"availability": 0.995}, {"latency": {"percentile": "p99.9", "threshold": "1500us"}}],
                 "source": "api"}
                """));
    }

    @Test
    void refusesToChangeWhatTheYamlFileDefinesNamingTheFile() {
        Answer service = api.put("/api/v1/services/web", "{\"owner\": \"someone else\"}");
        Answer sla = api.delete("/api/v1/slas/gold");
        Answer builtIn = api.put("/api/v1/calendars/24x7", "{\"zone\": \"UTC\"}");
        Answer window = api.delete("/api/v1/maintenance/sunday-patching");

        assertThat(service.status()).isEqualTo(409);
        assertThat(service.error()).isEqualTo("service web is defined in collector.yaml, which the API does not "
                + "change; edit the file and restart the collector");
        assertThat(sla.status()).isEqualTo(409);
        assertThat(sla.error()).isEqualTo("SLA gold is defined in collector.yaml, which the API does not change; "
                + "edit the file and restart the collector");
        assertThat(builtIn.status()).isEqualTo(409);
        assertThat(builtIn.error()).isEqualTo("calendar 24x7 is built in (every hour of every day, UTC) and cannot "
                + "be changed");
        assertThat(window.status()).isEqualTo(409);
        assertThat(api.get("/api/v1/services").json().getLong("version")).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
        PUT  | /api/v1/slas/silver      | {"objectives": [{"availability": 1.5}]} | objectives[0].availability must be above 0 and below 1, i.e. above 0% and below 100% (was 1.5)
        PUT  | /api/v1/slas/silver      | {"objectives": [{"latency": {"threshold": "300ms", "target": "100%"}}]} | objectives[0].latency.target must be above 0 and below 1, i.e. above 0% and below 100% (was 100%)
        PUT  | /api/v1/slas/silver      | {"calendar": "support", "objectives": [{"availability": 0.99}]} | calendar names no calendar 'support' (defined: 24x7, office)
        PUT  | /api/v1/slas/silver      | {"period": "fortnight", "objectives": [{"availability": 0.99}]} | period must be month, week, quarter or rolling <N>d like rolling 30d (was 'fortnight')
        PUT  | /api/v1/slas/silver      | {"objectives": []} | objectives must list at least one objective
        PUT  | /api/v1/services/shop    | {"sla": "platinum"} | sla names no SLA 'platinum' (defined: gold)
        PUT  | /api/v1/services/shop    | {"depends_on": ["db"]} | depends_on[0] names no service 'db' (defined: web)
        PUT  | /api/v1/services/shop    | {"name": "store"} | name must be the name in the URL, 'shop' (was 'store')
        PUT  | /api/v1/services/shop    | {"team": "retail"} | unknown field team (known: checks, customer, depends_on, description, name, owner, sla, source, suppliers, tier)
        PUT  | /api/v1/services/shop    | {"checks": [{"check": "shop-https", "agents": ["edge-9"]}]} | checks[0].agents[0] names no agent 'edge-9' (agents: edge-1, edge-2)
        PUT  | /api/v1/services/shop    | {"checks": [{"check": "shop-https", "agents": ["edge-1"], "quorum": 2}]} | checks[0].quorum must be between 1 and 1 (was 2)
        PUT  | /api/v1/services/shop    | {"description": "costs ${PRICE}"} | description must not contain '${': values sent to the API are never read from the environment
        PUT  | /api/v1/services/bad%20name | {} | the name in the URL must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was 'bad name')
        PUT  | /api/v1/calendars/mars   | {"zone": "Mars/Olympus"} | zone must be an IANA time zone like Europe/Berlin or UTC (was 'Mars/Olympus')
        PUT  | /api/v1/calendars/late   | {"zone": "UTC", "hours": {"mon": "22:00-02:00"}} | hours.mon must end after it starts (was '22:00-02:00'); hours past midnight are two spans, e.g. 22:00-24:00 and 00:00-06:00 on the next day
        PUT  | /api/v1/calendars/late   | {"zone": "UTC", "hours": {"mon": ["08:00-12:00", "11:00-13:00"]}} | hours.mon[1] overlaps mon on Monday ('11:00-13:00' and '08:00-12:00'); spans of one day must not overlap
        POST | /api/v1/maintenance      | {"start": "2026-11-28T01:00:00Z", "end": "2026-11-28T03:00:00Z", "reason": "switch"} | missing required field created_by
        POST | /api/v1/maintenance      | {"start": "2026-11-28T01:00:00Z", "end": "2026-11-28T03:00:00Z", "created_by": "alice"} | missing required field reason
        POST | /api/v1/maintenance      | {"start": "2026-11-28T01:00", "for": "2h", "created_by": "alice", "reason": "switch"} | start has no offset: add zone (e.g. zone: Europe/Berlin) or write an instant like 2026-12-01T01:00:00Z (was '2026-11-28T01:00')
        POST | /api/v1/maintenance      | {"services": ["shop"], "start": "2026-11-28T01:00:00Z", "for": "2h", "created_by": "alice", "reason": "switch"} | services[0] names no service 'shop' (defined: web)
        POST | /api/v1/maintenance      | {"every": {"weekly": "sun", "at": "02:00", "for": "2h"}, "created_by": "alice", "reason": "patching"} | missing required field every.zone
        POST | /api/v1/maintenance      | {"created_by": "alice", "reason": "patching"} | request body needs start and end (or start and for) for a one-off window, or every for a recurring one
        POST | /api/v1/maintenance      | {"id": "a b", "start": "2026-11-28T01:00:00Z", "for": "2h", "created_by": "alice", "reason": "switch"} | id must be 1..64 characters of A-Z, a-z, 0-9, '.', '_' or '-' (was 'a b')
        POST | /api/v1/maintenance      | {"start": "2026-11-28T01:00:00Z", "for": "2h", "created_by": "alice", "reason": "switch", "created_at": "2020-01-01T00:00:00Z"} | unknown field created_at (known: created_by, end, every, for, id, reason, services, start, zone)
        PUT  | /api/v1/services/shop    | [1, 2] | the body must be a JSON object, not an array
        PUT  | /api/v1/services/shop    | {"owner": } | the body is not valid JSON: Unexpected character ('}' (code 125)): expected a value
        """)
    void answersBadInputWith400NamingTheField(String method, String path, String body, String message) {
        Answer answer = api.send(method, path, body);

        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(answer.error()).isEqualTo(message);
        assertThat(api.get("/api/v1/services").json().getLong("version")).isEqualTo(1);
    }

    @Test
    void refusesADependencyCycleMadeThroughTheApi() {
        api.put("/api/v1/services/a", "{}");
        api.put("/api/v1/services/b", "{\"depends_on\": [\"a\"]}");

        Answer cycle = api.put("/api/v1/services/a", "{\"depends_on\": [\"b\"]}");

        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.error()).isEqualTo("depends_on makes a dependency cycle: a -> b -> a");
    }

    @Test
    void refusesDeletionsThatWouldBreakAReferenceAndAllowsThemInTheRightOrder() {
        api.put("/api/v1/calendars/c", "{\"zone\": \"UTC\"}");
        api.put("/api/v1/slas/s", "{\"calendar\": \"c\", \"objectives\": [{\"availability\": \"99%\"}]}");
        api.put("/api/v1/services/x", "{\"sla\": \"s\"}");
        api.put("/api/v1/services/y", "{\"depends_on\": [\"x\"]}");

        assertThat(api.delete("/api/v1/calendars/c").error())
                .isEqualTo("calendar c is used by SLA s; give them another calendar first");
        assertThat(api.delete("/api/v1/slas/s").error())
                .isEqualTo("SLA s is used by service x; give them another SLA first");
        Answer service = api.delete("/api/v1/services/x");
        assertThat(service.status()).isEqualTo(409);
        assertThat(service.error()).isEqualTo("service x is a dependency of y; change their depends_on first");

        for (String path : new String[] {"/api/v1/services/y", "/api/v1/services/x", "/api/v1/slas/s",
                "/api/v1/calendars/c"}) {
            assertThat(api.delete(path).status()).as(path).isEqualTo(204);
        }
        assertThat(api.delete("/api/v1/calendars/c").status()).isEqualTo(404);
    }

    @Test
    void recordsMaintenanceWithWhoWhyAndWhenAndEndsItWithoutErasingIt() {
        Answer created = api.post("/api/v1/maintenance", """
                {"services": ["web"], "start": "2026-11-28T02:00", "end": "2026-11-28T04:00", "zone": "Europe/Berlin",
                 "created_by": "alice", "reason": "core switch replacement (CHG-42)"}
                """);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).isEqualTo("/api/v1/maintenance/api-1");
        assertThat(created.json()).isEqualTo(new JsonObject("""
                {"id": "api-1", "services": ["web"], "start": "2026-11-28T01:00:00Z", "end": "2026-11-28T03:00:00Z",
                 "created_by": "alice", "reason": "core switch replacement (CHG-42)",
                 "created_at": "2026-11-27T10:00:00Z", "ended_at": null, "ended_by": null,
                 "status": "scheduled", "source": "api"}
                """));
        assertThat(api.get("/api/v1/maintenance?service=web").json().getJsonArray("maintenance").stream()
                .map(m -> ((JsonObject) m).getString("id"))).containsExactly("sunday-patching", "api-1");

        now.set(Instant.parse("2026-11-28T02:00:00Z").toEpochMilli());
        assertThat(api.get("/api/v1/maintenance/api-1").json().getString("status")).isEqualTo("active");
        Answer ended = api.delete("/api/v1/maintenance/api-1?by=bob");

        assertThat(ended.status()).isEqualTo(200);
        assertThat(ended.json().getString("status")).isEqualTo("ended");
        assertThat(ended.json().getString("ended_at")).isEqualTo("2026-11-28T02:00:00Z");
        assertThat(ended.json().getString("ended_by")).isEqualTo("bob");
        assertThat(ended.json().getString("end")).isEqualTo("2026-11-28T03:00:00Z");
        Answer again = api.delete("/api/v1/maintenance/api-1");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.error()).isEqualTo("maintenance window api-1 was already ended at 2026-11-28T02:00:00Z");
        assertThat(api.get("/api/v1/maintenance").json().getJsonArray("maintenance")).hasSize(2);
    }

    @Test
    void cancelsAWindowThatHasNotBegunAndKeepsAPastOneOnRecord() {
        api.post("/api/v1/maintenance", """
                {"id": "next-week", "every": {"monthly": 1, "at": "03:00", "for": "30m", "zone": "UTC"},
                 "created_by": "alice", "reason": "certificate rotation"}
                """);
        Answer past = api.post("/api/v1/maintenance", """
                {"start": "2026-11-20T01:00:00Z", "for": "1h", "created_by": "alice", "reason": "forgot to declare"}
                """);
        Answer duplicate = api.post("/api/v1/maintenance", """
                {"id": "next-week", "start": "2026-11-30T01:00:00Z", "for": "1h", "created_by": "bob", "reason": "x"}
                """);

        Answer cancelled = api.delete("/api/v1/maintenance/next-week");
        Answer over = api.delete("/api/v1/maintenance/" + past.json().getString("id"));

        assertThat(past.json().getString("status")).isEqualTo("over");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(duplicate.error()).isEqualTo("maintenance window next-week already exists (in the API's windows); "
                + "choose another id, or leave it out to get one");
        assertThat(cancelled.json().getString("status")).isEqualTo("cancelled");
        assertThat(cancelled.json().getJsonObject("every")).isEqualTo(new JsonObject(
                "{\"monthly\": 1, \"at\": \"03:00\", \"for\": \"30m\", \"zone\": \"UTC\"}"));
        assertThat(over.status()).isEqualTo(409);
        assertThat(over.error()).isEqualTo("maintenance window api-1 is already over; it stays on record");
        assertThat(api.get("/api/v1/maintenance/nothing").status()).isEqualTo(404);
    }

    @Test
    void refusesABodyOverTheLimit() {
        String huge = "{\"description\": \"" + "x".repeat(CatalogueRoutes.MAX_BODY_BYTES) + "\"}";

        Answer answer = api.put("/api/v1/services/shop", huge);

        assertThat(answer.status()).isEqualTo(413);
        assertThat(answer.error()).isEqualTo("the body exceeds the limit of 1048576 bytes");
    }

    @Test
    void answersWritesWith403ExplainingHowToEnableThemWhenNoAdminTokenIsConfigured() {
        try (Collector readOnly = Collector.start(CollectorConfig.parse("collector.yaml",
                CONFIG.replace("api:\n  admin_token: admin-token\n", ""), name -> null, dir.resolve("other")), clock)) {
            CatalogueHttp other = new CatalogueHttp(readOnly.baseUri(), ADMIN_TOKEN);

            Answer answer = other.put("/api/v1/services/shop", "{}");

            assertThat(answer.status()).isEqualTo(403);
            assertThat(answer.error()).isEqualTo("changes through the API are disabled: set api.admin_token (or "
                    + "api.admin_token_sha256) in collector.yaml and restart the collector; reads need no token");
            assertThat(other.get("/api/v1/services").status()).isEqualTo(200);
        }
    }
}
