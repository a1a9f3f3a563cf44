package dev.vigil.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.agent.config.JournalSettings;
import dev.vigil.protocol.GapReason;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalEpochTest {
    private static final long T0 = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();

    @TempDir
    Path dataDir;

    private final SetTimeProvider clock = new SetTimeProvider(T0 * 1_000_000L);

    private SampleJournal open() {
        return SampleJournal.open(dataDir.resolve("journal"), JournalSettings.DEFAULT, clock);
    }

    private void wipeJournal() throws Exception {
        try (Stream<Path> files = Files.walk(dataDir.resolve("journal"))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Test
    void createsTheEpochFromTheClockBeforeTheFirstAppendAndKeepsItAcrossRestarts() throws Exception {
        long epoch;
        try (SampleJournal journal = open()) {
            epoch = journal.epoch();
            assertThat(epoch).isEqualTo(T0);
            assertThat(Files.readString(dataDir.resolve("journal/epoch")).trim()).isEqualTo(Long.toString(T0));
            journal.append(SampleJournalTest.sample("web", 1));
        }
        clock.advanceMillis(60_000);
        try (SampleJournal journal = open()) {
            assertThat(journal.epoch()).isEqualTo(epoch);
        }
    }

    @Test
    void givesAWipedJournalANewEpoch() throws Exception {
        long first;
        try (SampleJournal journal = open()) {
            first = journal.epoch();
            journal.append(SampleJournalTest.sample("web", 1));
        }
        wipeJournal();
        clock.advanceMillis(5);
        try (SampleJournal journal = open()) {
            assertThat(journal.epoch()).isEqualTo(first + 5);
        }
    }

    @Test
    void givesANewJournalAnEpochAboveTheAcknowledgedOneEvenWhenTheClockWentBack() throws Exception {
        new AckedPosition(dataDir.resolve(AckedPosition.FILE_NAME)).store(T0 + 3_600_000, 42);

        try (SampleJournal journal = open()) {
            assertThat(journal.epoch()).isEqualTo(T0 + 3_600_001);
        }
    }

    @Test
    void startsANewEpochAboveTheCurrentOneAndCarriesPendingGapsWithoutTheirIndexes() {
        try (SampleJournal journal = open()) {
            long before = journal.epoch();
            journal.gaps().record(GapReason.UNREADABLE, 1, 7, 7, -1, -1);

            long after = journal.newEpoch();

            assertThat(after).isEqualTo(before + 1).isEqualTo(journal.epoch());
            assertThat(GapLog.read(dataDir).epoch()).isEqualTo(after);
            assertThat(GapLog.read(dataDir).pending()).singleElement().satisfies(gap -> {
                assertThat(gap.sequence()).isZero();
                assertThat(gap.reason()).isEqualTo(GapReason.UNREADABLE);
                assertThat(gap.firstIndex()).isEqualTo(-1);
            });
        }
        try (SampleJournal journal = open()) {
            assertThat(journal.epoch()).isEqualTo(T0 + 1);
        }
    }

    @Test
    void refusesAnEpochFileThatIsNotANumber() throws Exception {
        Files.createDirectories(dataDir.resolve("journal"));
        Files.writeString(dataDir.resolve("journal/epoch"), "yesterday\n");

        assertThatThrownBy(this::open)
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("journal epoch file")
                .hasMessageContaining("holds 'yesterday'");
    }

    @Test
    void keepsTheInstanceIdOnceCreated() {
        UUID first = InstanceId.loadOrCreate(dataDir);

        assertThat(InstanceId.loadOrCreate(dataDir)).isEqualTo(first);
    }
}
