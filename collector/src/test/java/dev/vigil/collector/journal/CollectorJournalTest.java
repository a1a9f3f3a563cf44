package dev.vigil.collector.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorJournalTest {
    @TempDir
    Path dir;

    @Test
    void replaysWhatWasAppendedAfterItIsReopened() {
        List<JournalEntry> appended = new ArrayList<>();
        try (CollectorJournal journal = CollectorJournal.open(dir)) {
            assertThat(journal.lastIndex()).isEqualTo(-1);
            assertThat(journal.replay(10, CollectorJournal.Replay.of(entry -> { }, gap -> { }))).isZero();
            for (int i = 0; i < 5; i++) {
                appended.add(journal.append(i % 2 == 0 ? "edge-1" : "edge-2", 7, 100 + i, 1_700_000_000_000L + i,
                        sample(i)));
            }
            assertThat(journal.lastIndex()).isEqualTo(appended.get(4).index());
        }

        List<JournalEntry> replayed = new ArrayList<>();
        try (CollectorJournal journal = CollectorJournal.open(dir)) {
            assertThat(journal.replay(2, CollectorJournal.Replay.of(replayed::add, gap -> { }))).isEqualTo(2);
            assertThat(journal.replay(2, CollectorJournal.Replay.of(replayed::add, gap -> { }))).isEqualTo(2);
            assertThat(journal.replay(2, CollectorJournal.Replay.of(replayed::add, gap -> { }))).isEqualTo(1);
            assertThat(journal.replay(2, CollectorJournal.Replay.of(replayed::add, gap -> { }))).isZero();
            assertThat(journal.entries()).isEqualTo(5);
            JournalEntry next = journal.append("edge-1", 7, 105, 1_700_000_000_005L, sample(5));
            assertThat(next.index()).isGreaterThan(appended.get(4).index());
        }

        assertThat(replayed).isEqualTo(appended);
        assertThat(appended).extracting(JournalEntry::index).isSorted().doesNotHaveDuplicates();
    }

    private static Sample sample(int i) {
        boolean ok = i % 3 != 0;
        return new Sample("check-" + i, 1_700_000_000_000L + i * 1000L, 42, ok ? Outcome.OK : Outcome.TIMEOUT,
                -1, 1_000, 2_000, 3_000, 4_000 + i, ok ? 200 : 0, ok ? "" : "timed out after 5s – ünïcode");
    }
}
