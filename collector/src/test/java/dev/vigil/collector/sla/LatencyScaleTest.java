package dev.vigil.collector.sla;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyScaleTest {
    private static final Histogram FLAT =
            new Histogram(1, LatencyScale.HIGHEST_MICROS, LatencyScale.SIGNIFICANT_DIGITS);

    @Test
    void everyIndexSpansTheValuesHdrHistogramPutsTogether() {
        for (int index = 1; index < LatencyScale.INDEX_COUNT; index++) {
            long lowest = LatencyScale.lowestValue(index);
            long highest = LatencyScale.highestValue(index);
            assertThat(FLAT.lowestEquivalentValue(lowest)).as("lowest of %d", index).isEqualTo(lowest);
            assertThat(FLAT.highestEquivalentValue(lowest)).as("highest of %d", index).isEqualTo(highest);
            assertThat(LatencyScale.index(lowest)).isEqualTo(index);
            assertThat(LatencyScale.index(highest)).isEqualTo(index);
            assertThat(LatencyScale.lowestValue(index - 1)).isLessThan(lowest);
            if (index > 1) {
                assertThat(LatencyScale.highestValue(index - 1)).isEqualTo(lowest - 1);
            }
        }
    }

    @Test
    void randomValuesGetTheIndexOfTheirHdrHistogramBucket() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200_000; i++) {
            long micros = 1 + (long) Math.exp(random.nextDouble() * Math.log(LatencyScale.HIGHEST_MICROS));
            micros = Math.min(micros, LatencyScale.HIGHEST_MICROS);
            int index = LatencyScale.index(micros);
            assertThat(LatencyScale.lowestValue(index)).isEqualTo(FLAT.lowestEquivalentValue(micros));
        }
    }

    @Test
    void valuesOutsideOneMicrosecondToOneHourCountAsTheNearestBound() {
        assertThat(LatencyScale.index(0)).isEqualTo(LatencyScale.index(1));
        assertThat(LatencyScale.index(-5)).isEqualTo(LatencyScale.index(1));
        assertThat(LatencyScale.index(Long.MAX_VALUE)).isEqualTo(LatencyScale.INDEX_COUNT - 1);
        assertThat(LatencyScale.index(3_600_000_000L)).isEqualTo(LatencyScale.INDEX_COUNT - 1);
        assertThat(LatencyScale.INDEX_COUNT).isEqualTo(23_221);
        assertThat(LatencyScale.INDEX_BITS).isEqualTo(15);
    }
}
