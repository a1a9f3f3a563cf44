package dev.vigil.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GapLogTest {
    @TempDir
    Path dataDir;

    private GapLog open(long epoch) {
        return GapLog.open(dataDir.resolve(GapLog.FILE_NAME), epoch);
    }

    @Test
    void keepsGapsDurablyUntilAcknowledged() {
        GapLog log = open(100);
        log.record(GapReason.DISK_BUDGET, 40, 10, 49, 1_000, 40_000);
        log.record(GapReason.UNREADABLE, 1, 77, 77, -1, -1);

        GapLog.Contents reread = GapLog.read(dataDir);
        assertThat(reread.epoch()).isEqualTo(100);
        assertThat(reread.nextSequence()).isEqualTo(2);
        assertThat(reread.pending()).containsExactly(new Gap(0, GapReason.DISK_BUDGET, 40, 10, 49, 1_000, 40_000),
                new Gap(1, GapReason.UNREADABLE, 1, 77, 77, -1, -1));

        log.acknowledged(99, 5);
        assertThat(GapLog.read(dataDir).pending()).as("an ack of another epoch settles nothing").hasSize(2);
        log.acknowledged(100, 0);
        assertThat(GapLog.read(dataDir).pending()).extracting(Gap::sequence).containsExactly(1L);
        assertThat(open(100).contents().nextSequence()).as("sequences are never reused").isEqualTo(2);
    }

    @Test
    void aggregatesConsecutiveDropsIntoOneGapUntilItIsSent() {
        GapLog log = open(100);
        log.notJournaled(1, 5_000, 5_000);
        log.notJournaled(1, 6_000, 6_000);
        log.notJournaled(3, 4_000, 9_000);

        assertThat(log.pending(10)).containsExactly(new Gap(0, GapReason.NOT_JOURNALED, 5, -1, -1, 4_000, 9_000));
        log.notJournaled(1, 10_000, 10_000);
        assertThat(log.pending(10)).as("a sent gap does not grow").containsExactly(
                new Gap(0, GapReason.NOT_JOURNALED, 5, -1, -1, 4_000, 9_000),
                new Gap(1, GapReason.NOT_JOURNALED, 1, -1, -1, 10_000, 10_000));
        log.endRun();
        log.notJournaled(1, 11_000, 11_000);
        assertThat(GapLog.read(dataDir).pending()).hasSize(3);
    }

    @Test
    void recordsTheSameLostExcerptOnceWhileItsGapIsPending() {
        GapLog log = open(100);
        Gap first = log.recordOne(GapReason.UNREADABLE, 77, -1);

        assertThat(open(100).recordOne(GapReason.UNREADABLE, 77, -1)).as("after a restart").isEqualTo(first);
        assertThat(log.recordOne(GapReason.MALFORMED, 77, 5_000).sequence()).isEqualTo(1);
        log.acknowledged(100, 1);
        assertThat(log.recordOne(GapReason.UNREADABLE, 77, -1).sequence()).isEqualTo(2);
    }
}
