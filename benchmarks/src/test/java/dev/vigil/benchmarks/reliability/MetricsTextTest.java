package dev.vigil.benchmarks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MetricsTextTest {
    private static final MetricsText TEXT = new MetricsText("""
            # HELP vigil_ingest_duplicates_total Samples already held.
            # TYPE vigil_ingest_duplicates_total counter
            vigil_ingest_duplicates_total{agent="a b}"} 3.0
            vigil_ingest_duplicates_total{agent="c"} 4.0
            vigil_ingest_duplicates_total_created{agent="c"} 1.7950001E9
            vigil_agent_journal_backlog_samples 12
            """);

    @Test
    void sumsEverySeriesOfAMetricWhateverItsLabels() {
        assertThat(TEXT.count("vigil_ingest_duplicates_total")).isEqualTo(7);
    }

    @Test
    void readsAMetricWithoutLabels() {
        assertThat(TEXT.count("vigil_agent_journal_backlog_samples")).isEqualTo(12);
    }

    @Test
    void countsAMetricThatIsNotExposedAsZero() {
        assertThat(TEXT.sum("vigil_agent_samples_dropped_total")).isEmpty();
        assertThat(TEXT.count("vigil_agent_samples_dropped_total")).isZero();
    }
}
