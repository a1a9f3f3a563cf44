package dev.vigil.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.agent.config.JournalRoll;
import dev.vigil.agent.config.JournalSettings;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleJournalTest {
    @TempDir
    Path dataDir;

    // The journal's directory inside the data directory, which also holds its gap log and acked position.
    private Path dir;

    @BeforeEach
    void journalDirectory() {
        dir = dataDir.resolve("journal");
    }

    static Sample sample(String checkId, long scheduledEpochMillis) {
        return new Sample(checkId, scheduledEpochMillis, 12_345, Outcome.STATUS_MISMATCH, 1_000, 2_000, -1, 3_000,
                9_000, 503, "status 503 not in [200-299]");
    }

    @Test
    void returnsIncreasingIndexesAndReadsTheSamplesBackInOrder() {
        try (SampleJournal journal = SampleJournal.open(dir)) {
            long first = journal.append(sample("web", 1_000));
            long second = journal.append(sample("web", 2_000));
            long third = journal.append(sample("db", 3_000));

            assertThat(second).isGreaterThan(first);
            assertThat(third).isGreaterThan(second);
            assertThat(journal.lastIndex()).isEqualTo(third);
            try (JournalReader reader = journal.reader()) {
                List<SampleRecord> records = new ArrayList<>();
                assertThat(reader.read(10, records)).isEqualTo(3);
                assertThat(records).containsExactly(new SampleRecord(first, sample("web", 1_000)),
                        new SampleRecord(second, sample("web", 2_000)), new SampleRecord(third, sample("db", 3_000)));
                assertThat(reader.read(10, records)).isZero();
            }
        }
    }

    @Test
    void readsASampleBackWithItsFailureEvidence() {
        Evidence evidence = Evidence.bounded("127.0.0.1:8443", "HTTP/1.1 503 Service Unavailable",
                List.of(new Evidence.Header("Retry-After", "120"), new Evidence.Header("Set-Cookie", "[redacted]")),
                "down for maintenance", true, List.of("rcode NOERROR from 127.0.0.1:53"),
                List.of(new Evidence.Certificate("CN=localhost", "CN=Test CA", 1_000, 2_000, "ab".repeat(32))),
                "status 503 not in [200-299]");
        Sample withEvidence = sample("web", 1_000).withEvidence(evidence);
        try (SampleJournal journal = SampleJournal.open(dir)) {
            long index = journal.append(withEvidence);
            long next = journal.append(sample("web", 2_000));

            List<SampleRecord> records = new ArrayList<>();
            try (JournalReader reader = journal.reader()) {
                reader.read(10, records);
            }
            assertThat(records).containsExactly(new SampleRecord(index, withEvidence),
                    new SampleRecord(next, sample("web", 2_000)));
            assertThat(records.get(0).sample().evidence()).contains(evidence);
        }
    }

    @Test
    void keepsSamplesAndIndexesAcrossAReopen() {
        long before;
        try (SampleJournal journal = SampleJournal.open(dir)) {
            journal.append(sample("web", 1_000));
            before = journal.append(sample("web", 2_000));
        }
        try (SampleJournal journal = SampleJournal.open(dir)) {
            long after = journal.append(sample("web", 3_000));
            assertThat(after).isGreaterThan(before);

            List<SampleRecord> records = new ArrayList<>();
            try (JournalReader reader = journal.reader()) {
                reader.read(10, records);
            }
            assertThat(records).extracting(record -> record.sample().scheduledEpochMillis())
                    .containsExactly(1_000L, 2_000L, 3_000L);
        }
    }

    @Test
    void readsInBatchesAndSeeksJustAfterAGivenIndex() {
        try (SampleJournal journal = SampleJournal.open(dir); JournalReader reader = journal.reader()) {
            List<Long> indexes = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                indexes.add(journal.append(sample("web", i)));
            }
            List<SampleRecord> batch = new ArrayList<>();
            assertThat(reader.read(4, batch)).isEqualTo(4);
            assertThat(batch).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes.subList(0, 4));

            assertThat(reader.seekAfter(indexes.get(6))).isTrue();
            batch.clear();
            reader.read(100, batch);
            assertThat(batch).extracting(SampleRecord::journalIndex).containsExactlyElementsOf(indexes.subList(7, 10));

            assertThat(reader.seekAfter(indexes.get(9))).as("after the newest sample").isTrue();
            batch.clear();
            assertThat(reader.read(100, batch)).isZero();

            assertThat(reader.seekAfter(-1)).isTrue();
            batch.clear();
            assertThat(reader.read(100, batch)).isEqualTo(10);
        }
    }

    @Test
    void reportsAnIndexThatIsNotInTheJournalAndFallsBackToTheOldestSample() {
        try (SampleJournal journal = SampleJournal.open(dir); JournalReader reader = journal.reader()) {
            long first = journal.append(sample("web", 1));
            journal.append(sample("web", 2));

            assertThat(reader.seekAfter(first + 1_000)).isFalse();
            List<SampleRecord> batch = new ArrayList<>();
            reader.read(10, batch);
            assertThat(batch).extracting(SampleRecord::journalIndex).startsWith(first).hasSize(2);
        }
    }

    @Test
    void deletesFullyAcknowledgedCyclesButNeverTheCurrentOne() {
        SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli() * 1_000_000L);
        JournalSettings daily = JournalSettings.DEFAULT.withRoll(JournalRoll.DAILY);
        long dayThree;
        try (SampleJournal journal = SampleJournal.open(dir, daily, clock)) {
            long dayOne = journal.append(sample("web", 0));
            journal.append(sample("web", 1));
            clock.advanceMillis(TimeUnit.DAYS.toMillis(1));
            long dayTwo = journal.append(sample("web", 2));
            journal.append(sample("web", 2));
            clock.advanceMillis(TimeUnit.DAYS.toMillis(1));
            dayThree = journal.append(sample("web", 3));
            long dayThreeToo = journal.append(sample("web", 4));

            assertThat(journal.settle(dayOne)).as("day one is not fully acknowledged yet").isEmpty();
            assertThat(journal.settle(dayTwo)).extracting(file -> file.getFileName().toString())
                    .containsExactly("20260301F.cq4");
            assertThat(journal.settle(dayTwo)).as("nothing left to delete").isEmpty();
            assertThat(journal.settle(dayThreeToo)).extracting(file -> file.getFileName().toString())
                    .as("the current day stays, even when fully acknowledged")
                    .containsExactly("20260302F.cq4");

            assertThat(journal.countAfter(-1)).isEqualTo(2);
            assertThat(journal.contains(dayTwo)).isFalse();
            List<SampleRecord> left = new ArrayList<>();
            try (JournalReader reader = journal.reader()) {
                reader.read(10, left);
            }
            assertThat(left).extracting(record -> record.sample().scheduledEpochMillis()).containsExactly(3L, 4L);
            assertThat(journal.append(sample("web", 5))).isGreaterThan(dayThree);
        }
        try (SampleJournal journal = SampleJournal.open(dir, daily, clock); JournalReader reader = journal.reader()) {
            assertThat(reader.seekAfter(dayThree)).isTrue();
            List<SampleRecord> rest = new ArrayList<>();
            reader.read(10, rest);
            assertThat(rest).extracting(record -> record.sample().scheduledEpochMillis()).containsExactly(4L, 5L);
        }
    }

    @Test
    void keepsAcknowledgedCyclesForTheRetentionAfterTheyEnded() {
        SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli() * 1_000_000L);
        JournalSettings settings = JournalSettings.DEFAULT.withRetainAcked(Duration.ofHours(2));
        try (SampleJournal journal = SampleJournal.open(dir, settings, clock)) {
            journal.append(sample("web", 1));
            clock.advanceMillis(TimeUnit.HOURS.toMillis(1));
            long last = journal.append(sample("web", 2));

            clock.advanceMillis(TimeUnit.MINUTES.toMillis(119));
            assertThat(journal.settle(last)).as("at 12:59 the 10:00 cycle ended 1 h 59 min ago").isEmpty();
            clock.advanceMillis(TimeUnit.MINUTES.toMillis(2));
            assertThat(journal.settle(last)).extracting(file -> file.getFileName().toString())
                    .containsExactly("20260301-10F.cq4");
        }
    }

    @Test
    void usesTheRollCycleTheJournalWasCreatedWith() {
        SetTimeProvider clock = new SetTimeProvider(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli() * 1_000_000L);
        try (SampleJournal journal = SampleJournal.open(dir, JournalSettings.DEFAULT.withRoll(JournalRoll.DAILY), clock)) {
            journal.append(sample("web", 1));
        }
        try (SampleJournal journal = SampleJournal.open(dir, JournalSettings.DEFAULT, clock)) {
            assertThat(journal.cycleMillis()).isEqualTo(TimeUnit.DAYS.toMillis(1));
            clock.advanceMillis(TimeUnit.HOURS.toMillis(2));
            long index = journal.append(sample("web", 2));
            assertThat(journal.countAfter(-1)).isEqualTo(2);
            assertThat(journal.contains(index)).isTrue();
        }
    }

    @Test
    void refusesASecondOwnerOfTheSameDirectory() {
        try (SampleJournal journal = SampleJournal.open(dir)) {
            assertThatThrownBy(() -> SampleJournal.open(dir))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("is in use by another agent");
        }
        SampleJournal.open(dir).close();
    }

    @Test
    void countsTheSamplesAfterAnIndex() {
        try (SampleJournal journal = SampleJournal.open(dir)) {
            assertThat(journal.lastIndex()).isEqualTo(-1);
            assertThat(journal.countAfter(-1)).isZero();
            List<Long> indexes = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                indexes.add(journal.append(sample("web", i)));
            }

            assertThat(journal.countAfter(-1)).isEqualTo(5);
            assertThat(journal.countAfter(indexes.get(0))).isEqualTo(4);
            assertThat(journal.countAfter(indexes.get(3))).isEqualTo(1);
            assertThat(journal.countAfter(indexes.get(4))).isZero();
        }
    }
}
