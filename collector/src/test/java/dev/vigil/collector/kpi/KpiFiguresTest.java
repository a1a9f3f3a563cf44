package dev.vigil.collector.kpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.testsupport.prometheus.Promtool;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class KpiFiguresTest {

    @Test
    void theMetricsShowTheCurrentMonthAsLastRefreshedAndAScrapeDoesNotRecompute() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        KpiFigures figures = new KpiFigures(() -> {
            reads.incrementAndGet();
            return KpiScenario.incidents();
        }, KpiConfig.DEFAULT);
        PrometheusRegistry registry = new PrometheusRegistry();
        figures.register(registry);

        assertThat(scrape(registry)).doesNotContain("vigil_incident_mttd_seconds{");
        figures.refresh(KpiScenario.NOW);
        String text = scrape(registry);
        scrape(registry);

        assertThat(reads).hasValue(1);
        assertThat(text).contains(
                "vigil_incident_mttd_seconds{service=\"web\"} 96.0",
                "vigil_incident_mttd_seconds{service=\"api\"} 60.0",
                "vigil_incident_mtta_seconds{service=\"web\"} 1200.0",
                "vigil_incident_mttr_seconds{service=\"web\"} 7050.0",
                "vigil_incident_target_met_ratio{service=\"web\",target=\"detect\"} 0.8",
                "vigil_incident_target_met_ratio{service=\"web\",target=\"acknowledge\"} 0.75",
                "vigil_incident_target_met_ratio{service=\"web\",target=\"restore\"} 0.75",
                "vigil_incident_target_met_ratio{service=\"api\",target=\"restore\"} 0.0");
        // api has neither an acknowledged nor a restored outage: no mean, so no series.
        assertThat(text).doesNotContain("vigil_incident_mtta_seconds{service=\"api\"}",
                "vigil_incident_mttr_seconds{service=\"api\"}");
    }

    @Test
    void theMetricsPassPromtoolsCheck() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is not installed (apt-get install prometheus)");
        KpiFigures figures = new KpiFigures(KpiScenario::incidents, KpiConfig.DEFAULT);
        PrometheusRegistry registry = new PrometheusRegistry();
        figures.register(registry);
        figures.refresh(KpiScenario.NOW);

        Promtool.Result result = Promtool.checkMetrics(scrape(registry));

        assertThat(result.clean()).as(result.output()).isTrue();
    }

    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
