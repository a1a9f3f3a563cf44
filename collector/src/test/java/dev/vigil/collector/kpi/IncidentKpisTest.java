package dev.vigil.collector.kpi;

import static dev.vigil.collector.kpi.KpiScenario.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.sla.PeriodRange;
import dev.vigil.config.ConfigException;
import dev.vigil.config.ConfigNode;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class IncidentKpisTest {
    private static final PeriodRange NOVEMBER = KpiFigures.MONTHS.containing(NOW);

    @Test
    void kpiPercentagesMatchAHandCountedScenario() {
        List<ServiceKpis> kpis = IncidentKpis.of(KpiScenario.incidents(), NOVEMBER, KpiConfig.DEFAULT, NOW);

        assertThat(kpis).extracting(ServiceKpis::service).containsExactly("api", "web");
        ServiceKpis web = kpis.get(1);
        // A to E: F started in October, G is a burn-rate incident. E is open, C unacknowledged.
        assertThat(web.incidents()).isEqualTo(5);
        assertThat(web.open()).isEqualTo(1);
        assertThat(web.unacknowledged()).isEqualTo(1);
        // Detect: 60, 180, 120, 30, 90 → mean 480 / 5 = 96; sorted 30 60 90 120 180 → p50 (3rd) 90, p90 (5th)
        // 180; met A C D E (≤ 120), missed B → 4 / 5 = 80 %.
        assertThat(web.detect()).isEqualTo(measure(5, 96, 90, 180, 4, 1, 0));
        assertThat(web.detect().metPercent()).hasValue(80.0);
        // Acknowledge: A 600, B 2700, D 1200, E 300 → mean 4800 / 4 = 1200; sorted 300 600 1200 2700 → p50 (2nd)
        // 600, p90 (4th) 2700; met A D E, missed B, C not judged → 3 / 4 = 75 %.
        assertThat(web.acknowledge()).isEqualTo(measure(4, 1200, 600, 2700, 3, 1, 0));
        assertThat(web.acknowledge().metPercent()).hasValue(75.0);
        // Restore: A 1800, B 18000, C 1200, D 7200 → mean 28200 / 4 = 7050; sorted 1200 1800 7200 18000 → p50
        // 1800, p90 18000; met A C D, missed B, E pending → 3 / 4 = 75 %.
        assertThat(web.restore()).isEqualTo(measure(4, 7050, 1800, 18000, 3, 1, 1));
        assertThat(web.restore().metPercent()).hasValue(75.0);

        ServiceKpis api = kpis.get(0);
        assertThat(api.incidents()).isEqualTo(1);
        assertThat(api.open()).isEqualTo(1);
        assertThat(api.unacknowledged()).isEqualTo(1);
        assertThat(api.detect()).isEqualTo(measure(1, 60, 60, 60, 1, 0, 0));
        // H is six hours old, unacknowledged and open: past both the 30m and the 4h targets, with no time to average.
        assertThat(api.acknowledge()).isEqualTo(empty(0, 1, 0));
        assertThat(api.acknowledge().metPercent()).hasValue(0.0);
        assertThat(api.restore()).isEqualTo(empty(0, 1, 0));
    }

    @Test
    void aServicesOwnTargetsJudgeItsIncidentsAndAYoungerOpenIncidentIsPending() {
        KpiConfig config = KpiConfig.read(ConfigNode.parse("collector.yaml", """
                kpi_targets:
                  acknowledge: 7h
                  services:
                    api: {restore: 8h}
                    web: {detect: 1m}
                """, name -> null));

        List<ServiceKpis> kpis = IncidentKpis.of(KpiScenario.incidents(), NOVEMBER, config, NOW);

        ServiceKpis api = kpis.get(0);
        assertThat(api.targets()).isEqualTo(new KpiTargets(Duration.ofMinutes(2), Duration.ofHours(7),
                Duration.ofHours(8)));
        // H: 6 h unacknowledged under 7 h, 6 h open under 8 h: pending both, nothing judged.
        assertThat(api.acknowledge()).isEqualTo(empty(0, 0, 1));
        assertThat(api.restore()).isEqualTo(empty(0, 0, 1));
        assertThat(api.restore().metPercent()).isEmpty();
        // web with detect 1m: 60 and 30 met, 180, 120 and 90 missed.
        assertThat(kpis.get(1).detect().met()).isEqualTo(2);
        assertThat(kpis.get(1).detect().missed()).isEqualTo(3);
    }

    @Test
    void anUnacknowledgedIncidentResolvedAfterTheTargetMissesIt() {
        // Resolved 3600 s after start, detected at 60: open and unacknowledged for 3540 s > 1800 s.
        var incident = KpiScenario.outage("web", "2026-11-03T00:00:00Z", 60, java.util.OptionalLong.empty(),
                java.util.OptionalLong.of(3600));

        ServiceKpis web = IncidentKpis.ofService("web", List.of(incident), NOVEMBER, KpiConfig.DEFAULT, NOW);

        assertThat(web.acknowledge()).isEqualTo(empty(0, 1, 0));
    }

    @Test
    void aServiceWithoutOutagesInThePeriodHasZeroCountsAndNoFigures() {
        ServiceKpis quiet = IncidentKpis.ofService("blog", KpiScenario.incidents(), NOVEMBER, KpiConfig.DEFAULT, NOW);

        assertThat(quiet.incidents()).isZero();
        assertThat(quiet.detect()).isEqualTo(empty(0, 0, 0));
        assertThat(quiet.detect().metRatio()).isEmpty();
    }

    @Test
    void aMisspeltTargetIsAConfigurationErrorNamingIt() {
        assertThatThrownBy(() -> KpiConfig.read(ConfigNode.parse("collector.yaml", """
                kpi_targets:
                  services:
                    web: {restor: 1h}
                """, name -> null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kpi_targets.services.web.restor");
        assertThatThrownBy(() -> KpiConfig.read(ConfigNode.parse("collector.yaml", """
                kpi_targets: {detect: 0s}
                """, name -> null)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("kpi_targets.detect must be > 0");
    }

    @Test
    void withoutTheSectionTheTargetsAreTheDefaults() {
        KpiConfig config = KpiConfig.read(ConfigNode.parse("collector.yaml", "listen: 127.0.0.1:0\n", name -> null));

        assertThat(config.targetsFor("web")).isEqualTo(new KpiTargets(Duration.ofMinutes(2), Duration.ofMinutes(30),
                Duration.ofHours(4)));
    }

    private static KpiMeasure measure(int count, double mean, double p50, double p90, int met, int missed,
            int pending) {
        return new KpiMeasure(count, OptionalDouble.of(mean), OptionalDouble.of(p50), OptionalDouble.of(p90), met,
                missed, pending);
    }

    private static KpiMeasure empty(int met, int missed, int pending) {
        return new KpiMeasure(0, OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.empty(), met, missed,
                pending);
    }
}
