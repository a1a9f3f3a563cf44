package dev.vigil.benchmarks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IncarnationCounterTest {
    @Test
    void countsAnIncarnationsLastValueOnceItEnds() {
        IncarnationCounter counter = new IncarnationCounter();
        counter.observe(5);
        counter.observe(9);
        counter.nextIncarnation();
        counter.observe(2);

        assertThat(counter.total()).isEqualTo(11);
        assertThat(counter.current()).isEqualTo(2);
    }
}
