package dev.vigil.collector.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.collector.config.TokenDigest;
import dev.vigil.collector.sla.AvailabilityObjective;
import dev.vigil.collector.sla.DailyHours;
import dev.vigil.collector.sla.IntervalSet;
import dev.vigil.collector.sla.LatencyPercentileObjective;
import dev.vigil.collector.sla.LatencyRatioObjective;
import dev.vigil.collector.sla.MaintenanceSchedule;
import dev.vigil.collector.sla.NoDataPolicy;
import dev.vigil.collector.sla.ServiceCalendar;
import dev.vigil.collector.sla.SlaDefinition;
import dev.vigil.collector.sla.SlaPeriod;
import dev.vigil.config.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue sections of {@code collector.yaml}: a full file read field by field, and one fixture per
 * validation rule, {@code catalogue/invalid-*.yaml}, whose first line is {@code # error: <the exact message>}.
 */
class CatalogueConfigTest {
    private static final String ADMIN_TOKEN = "admin-s3cret";
    private static final Map<String, String> ENV = Map.of("VIGIL_ADMIN_TOKEN", ADMIN_TOKEN);
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @TempDir
    Path dir;

    @Test
    void readsEveryCatalogueSectionOfAFullFile() throws IOException {
        CatalogueConfig config = parse("valid-catalogue.yaml").catalogue();
        Catalogue catalogue = config.catalogue();

        assertThat(config.fileName()).isEqualTo("valid-catalogue.yaml");
        assertThat(config.adminToken()).contains(TokenDigest.of(ADMIN_TOKEN));
        assertThat(catalogue.services()).extracting(Service::name).containsExactly("web", "api", "db");
        Service web = catalogue.service("web").orElseThrow();
        assertThat(web).isEqualTo(new Service("web", Optional.of("team-web"), Optional.of("ACME Corp"),
                Optional.of("gold"), Optional.of("The shop's front end"), List.of("api"), Optional.of("gold"), List.of(
                        new ServiceCheck("web-https", List.of("edge-1", "edge-2", "edge-3"), 2,
                                Optional.of(Duration.ofMinutes(3))),
                        new ServiceCheck("web-dns", List.of("edge-1"), 1, Optional.empty()))));
        assertThat(catalogue.service("db").orElseThrow()).isEqualTo(Service.named("db"));
        assertThat(catalogue.dependents("db")).containsExactly("api");
    }

    @Test
    void readsSlasWithTheirObjectivesPeriodsInTheCalendarsZoneAndNoDataPolicy() throws IOException {
        Catalogue catalogue = parse("valid-catalogue.yaml").catalogue().catalogue();

        assertThat(catalogue.slaOf("web")).contains(new SlaDefinition("gold", List.of(
                new AvailabilityObjective(0.999),
                new LatencyRatioObjective(0.99, 300_000),
                new LatencyPercentileObjective(95, 500_000)),
                new SlaPeriod.CalendarMonth(BERLIN), "office", NoDataPolicy.DOWN));
        assertThat(catalogue.slaOf("api")).contains(new SlaDefinition("silver",
                List.of(new AvailabilityObjective(0.995)), new SlaPeriod.RollingDays(30), Catalogue.ALWAYS_ON,
                NoDataPolicy.EXCLUDE));
        assertThat(catalogue.sla("nightly").orElseThrow().period())
                .isEqualTo(new SlaPeriod.CalendarWeek(ZoneId.of("America/New_York")));
        assertThat(catalogue.sla("nightly").orElseThrow().objectives())
                .containsExactly(new LatencyPercentileObjective(99.9, 1_500));
        assertThat(catalogue.slaOf("db")).isEmpty();
        assertThat(catalogue.calendarOf(catalogue.sla("silver").orElseThrow()).isAlwaysOn()).isTrue();
    }

    @Test
    void readsCalendarsAsWeeklyHoursInTheirZoneMinusHolidays() throws IOException {
        Catalogue catalogue = parse("valid-catalogue.yaml").catalogue().catalogue();

        ServiceCalendar office = catalogue.calendar("office").orElseThrow();
        assertThat(office.zone()).isEqualTo(BERLIN);
        assertThat(office.weeklyHours().get(DayOfWeek.MONDAY)).containsExactly(new DailyHours(480, 1080));
        assertThat(office.weeklyHours().get(DayOfWeek.SATURDAY))
                .containsExactly(new DailyHours(540, 720), new DailyHours(780, 840));
        assertThat(office.weeklyHours()).doesNotContainKey(DayOfWeek.SUNDAY);
        assertThat(office.holidays()).containsExactlyInAnyOrder(LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 26));
        assertThat(catalogue.calendar("nights").orElseThrow().weeklyHours().get(DayOfWeek.SUNDAY))
                .containsExactly(new DailyHours(0, 360), new DailyHours(1320, 1440));
        assertThat(catalogue.calendars()).containsKeys(Catalogue.ALWAYS_ON, "office", "nights");
        long monday = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();
        assertThat(office.serviceTime(monday, monday + Duration.ofDays(1).toMillis()))
                .isEqualTo(IntervalSet.of(Instant.parse("2026-11-30T07:00:00Z").toEpochMilli(),
                        Instant.parse("2026-11-30T17:00:00Z").toEpochMilli()));
    }

    @Test
    void readsOneOffAndRecurringMaintenanceAndFindsWhatAppliesToAService() throws IOException {
        Catalogue catalogue = parse("valid-catalogue.yaml").catalogue().catalogue();

        MaintenanceEntry upgrade = catalogue.maintenanceWindow("db-upgrade").orElseThrow();
        assertThat(upgrade.window().schedule()).isEqualTo(new MaintenanceSchedule.OneOff(
                Instant.parse("2026-12-01T01:00:00Z"), Instant.parse("2026-12-01T03:00:00Z")));
        assertThat(upgrade.window().services()).containsExactlyInAnyOrder("db", "api");
        assertThat(upgrade.window().createdBy()).isEqualTo("alice");
        assertThat(upgrade.window().reason()).isEqualTo("PostgreSQL upgrade (CHG-1234)");
        assertThat(upgrade.window().createdAt()).isEqualTo(Instant.EPOCH);
        assertThat(catalogue.maintenanceFor("web")).extracting(MaintenanceEntry::id)
                .containsExactly("sunday-patching", "month-start");
        assertThat(catalogue.maintenanceFor("db")).extracting(MaintenanceEntry::id)
                .containsExactly("db-upgrade", "sunday-patching");

        // Tuesday 1 December 2026 to Monday 7 December: the first of the month and one Sunday.
        long from = Instant.parse("2026-12-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-12-07T00:00:00Z").toEpochMilli();
        assertThat(catalogue.maintenanceTime("web", from, to)).isEqualTo(IntervalSet.builder()
                .add(millis("2026-12-01T03:00:00Z"), millis("2026-12-01T03:30:00Z"))
                .add(millis("2026-12-06T01:00:00Z"), millis("2026-12-06T03:00:00Z"))
                .build());
        assertThat(catalogue.maintenanceTime("db", from, to)).isEqualTo(IntervalSet.builder()
                .add(millis("2026-12-01T01:00:00Z"), millis("2026-12-01T03:00:00Z"))
                .add(millis("2026-12-06T01:00:00Z"), millis("2026-12-06T03:00:00Z"))
                .build());
        // What the SLA evaluator reads: each applying entry's own occurrences.
        IntervalSet.Builder declared = IntervalSet.builder();
        catalogue.maintenanceFor("db").forEach(entry -> declared.addAll(entry.occurrences(from, to)));
        assertThat(declared.build()).isEqualTo(catalogue.maintenanceTime("db", from, to));
    }

    @Test
    void aFileWithoutCatalogueSectionsHasOnlyTheBuiltInCalendarAndNoAdminToken() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                agents:
                  - name: edge-1
                    token: t1
                """, ENV::get, dir);

        Catalogue catalogue = config.catalogue().catalogue();
        assertThat(catalogue.services()).isEmpty();
        assertThat(catalogue.slas()).isEmpty();
        assertThat(catalogue.calendars()).containsOnlyKeys(Catalogue.ALWAYS_ON);
        assertThat(catalogue.maintenance()).isEmpty();
        assertThat(config.catalogue().adminToken()).isEmpty();
    }

    @Test
    void acceptsAnAdminTokenGivenAsItsSha256AndNeverShowsIt() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                agents:
                  - name: edge-1
                    token: t1
                api:
                  admin_token_sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08
                """, ENV::get, dir);

        assertThat(config.catalogue().adminToken()).contains(TokenDigest.of("test"));
        assertThat(config.toString()).doesNotContain("9f86d081").contains("redacted");
    }

    @Test
    void acceptsTargetsAsPercentagesOrFractionsAndPercentilesWithOrWithoutP() {
        CollectorConfig config = CollectorConfig.parse("collector.yaml", """
                agents:
                  - name: edge-1
                    token: t1
                slas:
                  s:
                    objectives:
                      - availability: 99.95 %
                      - availability: 0.9995
                      - latency: {threshold: 1s, target: "99.5%"}
                      - latency: {percentile: 99, threshold: 250ms}
                      - latency: {percentile: P99.99, threshold: 1h}
                """, ENV::get, dir);

        assertThat(config.catalogue().catalogue().sla("s").orElseThrow().objectives()).containsExactly(
                new AvailabilityObjective(0.9995), new AvailabilityObjective(0.9995),
                new LatencyRatioObjective(0.995, 1_000_000), new LatencyPercentileObjective(99, 250_000),
                new LatencyPercentileObjective(99.99, 3_600_000_000L));
    }

    static Stream<String> fixtures() throws IOException, URISyntaxException {
        URL directory = CatalogueConfigTest.class.getResource("/catalogue");
        try (Stream<Path> files = Files.list(Path.of(directory.toURI()))) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith("invalid-"))
                    .sorted()
                    .toList()
                    .stream();
        }
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void rejectsTheFixtureWithItsExactMessage(String fixture) throws IOException {
        String yaml = fixture(fixture);
        String firstLine = yaml.lines().findFirst().orElseThrow();
        assertThat(firstLine).startsWith("# error: ");

        assertThatThrownBy(() -> CollectorConfig.parse(fixture, yaml, ENV::get, dir))
                .isInstanceOf(ConfigException.class)
                .hasMessage(firstLine.substring("# error: ".length()));
    }

    @Test
    void aFixtureForEveryRule() throws IOException, URISyntaxException {
        assertThat(fixtures().toList()).hasSizeGreaterThanOrEqualTo(78).allMatch(name ->
                name.matches("invalid-[a-z0-9-]+\\.yaml"));
    }

    private CollectorConfig parse(String fixture) throws IOException {
        return CollectorConfig.parse(fixture, fixture(fixture), ENV::get, dir);
    }

    private static String fixture(String name) throws IOException {
        try (InputStream in = CatalogueConfigTest.class.getResourceAsStream("/catalogue/" + name)) {
            if (in == null) {
                throw new IOException("no fixture " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long millis(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }
}
