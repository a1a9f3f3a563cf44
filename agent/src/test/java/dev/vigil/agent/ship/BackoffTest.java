package dev.vigil.agent.ship;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromTheInitialDelayUpToTheMaximumWithJitterInTheUpperHalf() {
        Random random = new Random(42);
        Backoff backoff = Backoff.DEFAULT;
        long[] bases = {250, 500, 1_000, 2_000, 4_000, 5_000, 5_000, 5_000};
        for (int failures = 1; failures <= bases.length; failures++) {
            for (int i = 0; i < 50; i++) {
                Duration delay = backoff.delay(failures, random);
                long base = bases[failures - 1];
                assertThat(delay.toMillis()).isBetween(base / 2, base);
            }
        }
        assertThat(backoff.delay(1_000, random).toMillis()).isBetween(2_500L, 5_000L);
        assertThat(backoff.unfixable()).isEqualTo(Duration.ofMinutes(1));
    }
}
