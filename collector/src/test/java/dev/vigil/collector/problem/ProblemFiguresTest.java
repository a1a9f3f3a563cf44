package dev.vigil.collector.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.collector.incident.Incident;
import dev.vigil.testsupport.prometheus.Promtool;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The problem metrics over a book of incidents a test puts in place. */
class ProblemFiguresTest {
    static final long NOW = Instant.parse("2026-11-20T12:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    /** web: one outage in October, three in November (a problem); shop: one in November; wiki: none. */
    final List<Incident> incidents = List.of(
            Outages.of("web", "2026-10-31T23:00:00Z"),
            Outages.of("web", "2026-11-02T03:10:00Z"),
            Outages.of("web", "2026-11-04T03:20:00Z"),
            Outages.of("web", "2026-11-05T14:00:00Z"),
            Outages.of("shop", "2026-11-03T14:00:00Z"));

    ProblemFigures figures(AtomicInteger reads) {
        ProblemBook book = ProblemBook.open(ProblemConfig.DEFAULT, () -> {
            reads.incrementAndGet();
            return incidents;
        }, () -> Instant.ofEpochMilli(NOW), dir.resolve("problems.json"));
        return new ProblemFigures(book, () -> List.of("shop", "web", "wiki"));
    }

    @Test
    void showsOpenProblemsPerCatalogueServiceAndTheMonthsRepeatRateAsLastRefreshed() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        ProblemFigures figures = figures(reads);
        PrometheusRegistry registry = new PrometheusRegistry();
        figures.register(registry);

        assertThat(scrape(registry)).doesNotContain("vigil_problems_open{");
        figures.refresh(NOW);
        int afterRefresh = reads.get();
        String text = scrape(registry);
        scrape(registry);

        assertThat(reads).hasValue(afterRefresh);
        assertThat(text).contains(
                "vigil_problems_open{service=\"shop\"} 0.0",
                "vigil_problems_open{service=\"web\"} 1.0",
                "vigil_problems_open{service=\"wiki\"} 0.0",
                // web's October outage is in the problem's run, but not in November's figure: 3 of 3.
                "vigil_problem_repeat_rate_ratio{service=\"web\"} 1.0",
                "vigil_problem_repeat_rate_ratio{service=\"shop\"} 0.0");
        assertThat(text).doesNotContain("vigil_problem_repeat_rate_ratio{service=\"wiki\"}");
    }

    @Test
    void theMetricsPassPromtoolsCheck() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/promtool")), "promtool is not installed (apt-get install prometheus)");
        ProblemFigures figures = figures(new AtomicInteger());
        PrometheusRegistry registry = new PrometheusRegistry();
        figures.register(registry);
        figures.refresh(NOW);

        Promtool.Result result = Promtool.checkMetrics(scrape(registry));

        assertThat(result.clean()).as(result.output()).isTrue();
    }

    private static String scrape(PrometheusRegistry registry) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
        return out.toString(StandardCharsets.UTF_8);
    }
}
