package dev.vigil.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vigil.agent.config.JournalSettings;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.SampleRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalBudgetTest {
    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
    private static final long MIB = 1 << 20;

    @TempDir
    Path dataDir;

    private final SetTimeProvider clock = new SetTimeProvider(T0 * 1_000_000L);
    private final Map<LossReason, Long> losses = new EnumMap<>(LossReason.class);

    private SampleJournal open(Path directory, JournalSettings settings) {
        SampleJournal journal = SampleJournal.open(directory, settings, clock);
        journal.onLoss((reason, samples) -> losses.merge(reason, samples, Long::sum));
        return journal;
    }

    @Test
    void dropsTheOldestCycleAndRecordsItsUnacknowledgedSamplesAsAGap() {
        // Each hourly file takes about 192 KiB from its first sample on, so a 1 MiB budget holds four.
        try (SampleJournal journal = open(dataDir.resolve("journal"), JournalSettings.DEFAULT.withMaxBytes(MIB))) {
            List<List<Long>> cycles = new ArrayList<>();
            for (int hour = 0; hour < 4; hour++) {
                List<Long> indexes = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    indexes.add(journal.append(SampleJournalTest.sample("web", T0 + hour * 3_600_000L + i)));
                }
                cycles.add(indexes);
                clock.advanceMillis(TimeUnit.HOURS.toMillis(1));
            }
            // The shipper took the first three samples of the oldest hour: they are not the budget's to count.
            assertThat(journal.claim(cycles.get(0).get(2))).isEqualTo(-1);

            for (int i = 0; i < 10; i++) {
                journal.append(SampleJournalTest.sample("web", T0 + 4 * 3_600_000L + i));
            }
            clock.advanceMillis(TimeUnit.HOURS.toMillis(1));
            journal.append(SampleJournalTest.sample("web", T0 + 5 * 3_600_000L));
            journal.append(SampleJournalTest.sample("web", T0 + 5 * 3_600_000L + 1));

            assertThat(journal.bytes()).isLessThanOrEqualTo(MIB);
            List<Gap> gaps = GapLog.read(dataDir).pending();
            assertThat(gaps).isNotEmpty();
            Gap first = gaps.get(0);
            assertThat(first.reason()).isEqualTo(GapReason.DISK_BUDGET);
            assertThat(first.samples()).isEqualTo(7);
            assertThat(first.firstIndex()).isEqualTo(cycles.get(0).get(3));
            assertThat(first.lastIndex()).isEqualTo(cycles.get(0).get(9));
            assertThat(first.firstScheduledMillis()).isEqualTo(T0 + 3);
            assertThat(first.lastScheduledMillis()).isEqualTo(T0 + 9);
            long dropped = 0;
            for (Gap gap : gaps) {
                assertThat(gap.reason()).isEqualTo(GapReason.DISK_BUDGET);
                dropped += gap.samples();
            }
            assertThat(losses).containsEntry(LossReason.DISK_BUDGET, dropped);
            assertThat(journal.droppedThrough()).isEqualTo(gaps.get(gaps.size() - 1).lastIndex());
            assertThat(journal.firstIndex()).isGreaterThan(journal.droppedThrough());
            assertThat(journal.countAfter(-1) + dropped + 3).as("every sample journaled is held, dropped or claimed")
                    .isEqualTo(52);
        }
    }

    @Test
    void refusesSamplesWhenOnlyTheCurrentCycleIsLeftAndRecordsThemAsGaps() {
        try (SampleJournal journal = open(dataDir.resolve("journal"), JournalSettings.DEFAULT.withMaxBytes(MIB))) {
            int journaled = 0;
            int refused = 0;
            long firstRefused = -1;
            for (int i = 0; i < 60_000 && refused < 100; i++) {
                if (journal.append(SampleJournalTest.sample("web", T0 + i)) == SampleJournal.NOT_JOURNALED) {
                    firstRefused = refused++ == 0 ? T0 + i : firstRefused;
                } else {
                    journaled++;
                }
            }

            assertThat(refused).isEqualTo(100);
            assertThat(journal.countAfter(-1)).isEqualTo(journaled);
            assertThat(losses).containsEntry(LossReason.NOT_JOURNALED, 100L);
            List<Gap> gaps = GapLog.read(dataDir).pending();
            assertThat(gaps).allSatisfy(gap -> {
                assertThat(gap.reason()).isEqualTo(GapReason.NOT_JOURNALED);
                assertThat(gap.firstIndex()).isEqualTo(-1);
            });
            // Consecutive refusals share a gap; the estimate of the file sizes may let a sample in between.
            assertThat(gaps.size()).isLessThan(10);
            assertThat(gaps.stream().mapToLong(Gap::samples).sum()).isEqualTo(100);
            assertThat(gaps.get(0).firstScheduledMillis()).isEqualTo(firstRefused);
            assertThat(journal.bytes()).isLessThanOrEqualTo(MIB + 256 * 1024);
        }
    }

    @Test
    void leavesMinFreeOnASmallFileSystemInsteadOfFillingIt() throws Exception {
        Path mount = Files.createDirectories(dataDir.resolve("tmpfs"));
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", mount.toString()),
                "needs root to mount a 6 MiB tmpfs; the min_free guard is then untested here");
        try {
            Path journalDir = mount.resolve("data/journal");
            JournalSettings settings = JournalSettings.DEFAULT.withMinFreeBytes(3 * MIB);
            long journaled = 0;
            long refused = 0;
            try (SampleJournal journal = open(journalDir, settings)) {
                for (int hour = 0; hour < 6; hour++) {
                    for (int i = 0; i < 20_000; i++) {
                        long index = journal.append(SampleJournalTest.sample("web", T0 + hour * 3_600_000L + i));
                        if (index == SampleJournal.NOT_JOURNALED) {
                            refused++;
                        } else {
                            journaled++;
                        }
                    }
                    clock.advanceMillis(TimeUnit.HOURS.toMillis(1));
                }
                long usable = Files.getFileStore(journalDir).getUsableSpace();
                assertThat(usable).as("free space left on the tmpfs").isGreaterThan(2 * MIB);
                long held = journal.countAfter(-1);
                long gapped = 0;
                for (Gap gap : GapLog.read(mount.resolve("data")).pending()) {
                    gapped += gap.samples();
                }
                assertThat(held + gapped).as("every sample is held or in a gap").isEqualTo(journaled + refused);
                assertThat(losses.getOrDefault(LossReason.DISK_BUDGET, 0L)).isPositive();
            }
        } finally {
            run("umount", mount.toString());
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    @Test
    void readsEveryExcerptInIndexOrderAfterBudgetDrops() {
        try (SampleJournal journal = open(dataDir.resolve("journal"), JournalSettings.DEFAULT.withMaxBytes(MIB))) {
            for (int hour = 0; hour < 7; hour++) {
                journal.append(SampleJournalTest.sample("web", hour));
                clock.advanceMillis(TimeUnit.HOURS.toMillis(1));
            }
            List<SampleRecord> left = new ArrayList<>();
            try (JournalReader reader = journal.reader()) {
                reader.read(100, left);
            }
            assertThat(left).extracting(record -> record.sample().scheduledEpochMillis()).isSorted().isNotEmpty()
                    .hasSizeLessThan(7);
            assertThat(left.get(0).journalIndex()).isEqualTo(journal.firstIndex());
        }
    }
}
