package dev.vigil.agent.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CheckScheduleTest {

    @Test
    void derivesTheSameOffsetFromTheSameIdOnEveryRun() {
        CheckSchedule web = new CheckSchedule("web", 10_000);

        assertThat(web.offsetMillis()).isEqualTo(new CheckSchedule("web", 10_000).offsetMillis());
        assertThat(web.offsetMillis()).as("CRC-32 of \"web\" mod 10000").isEqualTo(8_689);
    }

    @Test
    void alignsSlotsToEpochMultiplesOfTheIntervalPlusTheOffset() {
        CheckSchedule db = new CheckSchedule("db", 30_000);
        long offset = db.offsetMillis();

        for (long now = 1_700_000_000_000L; now < 1_700_000_100_000L; now += 7_919) {
            long slot = db.slotAtOrAfter(now);
            assertThat(slot).isGreaterThanOrEqualTo(now).isLessThan(now + 30_000);
            assertThat(Math.floorMod(slot - offset, 30_000L)).isZero();
        }
        long exactSlot = 1_700_000_010_000L - Math.floorMod(1_700_000_010_000L - offset, 30_000L);
        assertThat(db.slotAtOrAfter(exactSlot)).isEqualTo(exactSlot);
    }

    @Test
    void spreadsChecksWithTheSameIntervalAcrossIt() {
        Set<Long> offsets = new HashSet<>();
        Set<Long> seconds = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            long offset = new CheckSchedule("check-" + i, 10_000).offsetMillis();
            assertThat(offset).isBetween(0L, 9_999L);
            offsets.add(offset);
            seconds.add(offset / 1_000);
        }

        assertThat(offsets).hasSizeGreaterThan(90);
        assertThat(seconds).hasSizeGreaterThanOrEqualTo(9);
    }
}
