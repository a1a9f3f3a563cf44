package dev.vigil.collector.journal;

import static dev.vigil.collector.TestAgent.records;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.Collector;
import dev.vigil.collector.TestAgent;
import dev.vigil.collector.config.CollectorConfig;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.SampleRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deduplication by (agent, epoch, index) and gap sequence, as seen by an agent across collector
 * restarts and after retention deleted the journal files that first settled the indexes.
 */
class DedupAcrossRestartsTest {
    private static final String LOST = "vigil_ingest_agent_lost_samples_total{agent=\"edge-1\",reason=\"disk_budget\"}";

    @TempDir
    Path dir;

    private CollectorConfig config() {
        return CollectorConfig.parse("collector.yaml", """
                listen: 127.0.0.1:0
                data_dir: data
                agents:
                  - name: edge-1
                    token: edge-token
                """, name -> null, dir);
    }

    @Test
    void keepsEpochsApartAndRecognisesResentRecordsAndGapsAfterARestart() {
        long now = System.currentTimeMillis();
        List<SampleRecord> first = records("web", "SSS", 0, now - 60_000, 1_000);
        List<SampleRecord> second = records("web", "SS", 0, now - 30_000, 1_000);
        List<Gap> gaps = List.of(new Gap(0, GapReason.DISK_BUDGET, 40, 100, 139, now - 90_000, now - 61_000),
                new Gap(1, GapReason.NOT_JOURNALED, 2, -1, -1, -1, -1));
        try (Collector collector = Collector.start(config(), InstantSource.system())) {
            TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");

            Ack firstAck = agent.ship(1, gaps, first);
            // A wiped agent journal starts its indexes again under a new epoch: nothing is a duplicate.
            Ack secondAck = agent.ship(2, List.of(), second);

            assertThat(firstAck).isEqualTo(new Ack(1, 2, 1, 3, 0, List.of()));
            assertThat(secondAck).isEqualTo(new Ack(2, 1, -1, 2, 0, List.of()));
            assertThat(agent.metric(LOST)).isEqualTo(40.0);
            assertThat(entries(agent)).isEqualTo(7.0);
        }

        try (Collector collector = Collector.start(config(), InstantSource.system())) {
            TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");

            assertThat(agent.ship(1, gaps, first)).isEqualTo(new Ack(1, 2, 1, 0, 3, List.of()));
            assertThat(agent.ship(2, List.of(), second)).isEqualTo(new Ack(2, 1, -1, 0, 2, List.of()));
            assertThat(agent.metric(LOST)).isZero();
            assertThat(entries(agent)).as("replayed entries only, nothing appended again").isEqualTo(7.0);
        }
    }

    @Test
    void remembersWhatDeletedJournalFilesHeldThroughTheSavedMarks() throws IOException {
        long fiftyDaysAgo = System.currentTimeMillis() - Duration.ofDays(50).toMillis();
        List<SampleRecord> old = records("web", "SSSSS", 0, fiftyDaysAgo, 1_000);
        try (CollectorJournal journal = CollectorJournal.open(dir.resolve("data/journal"), () -> fiftyDaysAgo)) {
            for (SampleRecord record : old) {
                journal.append("edge-1", 1, record.journalIndex(), fiftyDaysAgo, record.sample());
            }
            journal.appendGap("edge-1", 1, fiftyDaysAgo, new Gap(0, GapReason.UNREADABLE, 1, 5, 5, -1, -1));
        }
        assertThat(cycleFiles()).hasSize(1);

        try (Collector collector = Collector.start(config(), InstantSource.system())) {
            // Retention ran after the replay: the old day is gone, its marks saved first.
            assertThat(cycleFiles()).isEmpty();
            assertThat(dir.resolve("data/dedup-marks")).content().isEqualTo("edge-1 1 4 0\n");
        }

        try (Collector collector = Collector.start(config(), InstantSource.system())) {
            TestAgent agent = new TestAgent(collector.baseUri(), "edge-token");
            long now = System.currentTimeMillis();
            List<SampleRecord> resentAndNew = new java.util.ArrayList<>(records("web", "SS", 3, now - 20_000, 1_000));
            resentAndNew.addAll(records("web", "S", 6, now - 5_000, 1_000));

            Ack ack = agent.ship(1, List.of(new Gap(0, GapReason.UNREADABLE, 1, 5, 5, -1, -1)), resentAndNew);

            assertThat(ack).isEqualTo(new Ack(1, 6, 0, 1, 2, List.of()));
        }
    }

    private static double entries(TestAgent agent) {
        return agent.metric("vigil_collector_journal_entries_total");
    }

    private List<Path> cycleFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("data/journal"))) {
            return files.filter(file -> file.toString().endsWith(".cq4")).toList();
        }
    }
}
