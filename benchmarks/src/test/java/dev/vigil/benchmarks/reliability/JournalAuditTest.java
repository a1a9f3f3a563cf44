package dev.vigil.benchmarks.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.agent.journal.AckedPosition;
import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalAuditTest {
    private static final String AGENT = "audited";
    private static final long SCHEDULED = 1_795_000_000_000L;

    @TempDir
    Path dir;

    private Path agentJournal;
    private Path collectorJournal;
    private long epoch;
    private final List<Long> indexes = new ArrayList<>();

    /** An agent journal of five samples, one per second of check {@code tcp-0}. */
    @BeforeEach
    void journalFiveSamples() {
        agentJournal = dir.resolve("agent").resolve("journal");
        collectorJournal = dir.resolve("collector").resolve("journal");
        try (SampleJournal journal = SampleJournal.open(agentJournal)) {
            epoch = journal.epoch();
            for (int i = 0; i < 5; i++) {
                indexes.add(journal.append(sample(i)));
            }
        }
    }

    @Test
    void findsNothingLostOrDoubledWhenTheCollectorHoldsEverySampleOnce() throws IOException {
        acknowledge(4);
        collect(0, 1, 2, 3, 4);

        JournalAudit.Result result = JournalAudit.compare(AGENT, agentJournal, collectorJournal);

        assertThat(result.samples()).isEqualTo(5);
        assertThat(result.collectorHeld()).isEqualTo(5);
        assertThat(result.lost()).isZero();
        assertThat(result.pending()).isZero();
        assertThat(result.doubled()).isZero();
        assertThat(result.corrupt()).isEmpty();
    }

    @Test
    void countsAnAcknowledgedSampleMissingAtTheCollectorAsLost() throws IOException {
        acknowledge(4);
        collect(0, 1, 3, 4);

        JournalAudit.Result result = JournalAudit.compare(AGENT, agentJournal, collectorJournal);

        assertThat(result.lost()).isEqualTo(1);
        assertThat(result.examples()).anyMatch(example -> example.startsWith("lost "));
    }

    @Test
    void countsSamplesAboveTheAcknowledgedMarkAsPendingNotLost() throws IOException {
        acknowledge(2);
        collect(0, 1, 2);

        JournalAudit.Result result = JournalAudit.compare(AGENT, agentJournal, collectorJournal);

        assertThat(result.lost()).isZero();
        assertThat(result.pending()).isEqualTo(2);
    }

    @Test
    void countsASampleTheCollectorHoldsTwiceAsDoubled() throws IOException {
        acknowledge(4);
        collect(0, 1, 2, 2, 3, 4);

        JournalAudit.Result result = JournalAudit.compare(AGENT, agentJournal, collectorJournal);

        assertThat(result.doubled()).isEqualTo(1);
        assertThat(result.lost()).isZero();
    }

    @Test
    void countsTheSameRunUnderAnotherIndexAsDoubled() throws IOException {
        acknowledge(4);
        collect(0, 1, 2, 3, 4);
        try (CollectorJournal journal = CollectorJournal.open(collectorJournal)) {
            // Run 3 again, as if the agent had journaled the same scheduled run twice.
            journal.append(AGENT, epoch, indexes.get(4) + 1, SCHEDULED, sample(3));
        }

        JournalAudit.Result result = JournalAudit.compare(AGENT, agentJournal, collectorJournal);

        assertThat(result.doubled()).isEqualTo(1);
    }

    @Test
    void doesNotCountSamplesCoveredByAGapAtTheCollectorAsLost() throws IOException {
        acknowledge(4);
        collect(0, 3, 4);
        try (CollectorJournal journal = CollectorJournal.open(collectorJournal)) {
            journal.appendGap(AGENT, epoch, SCHEDULED, new Gap(0, GapReason.DISK_BUDGET, 2, indexes.get(1),
                    indexes.get(2), SCHEDULED + 1_000, SCHEDULED + 2_000));
        }

        JournalAudit.Result result = JournalAudit.compare(AGENT, agentJournal, collectorJournal);

        assertThat(result.lost()).isZero();
        assertThat(result.gapSamples()).isEqualTo(2);
    }

    @Test
    void countsAGapHeldTwiceAsDoubled() throws IOException {
        acknowledge(4);
        collect(0, 1, 2, 3, 4);
        Gap gap = new Gap(0, GapReason.NOT_JOURNALED, 7, -1, -1, SCHEDULED, SCHEDULED + 500);
        try (CollectorJournal journal = CollectorJournal.open(collectorJournal)) {
            journal.appendGap(AGENT, epoch, SCHEDULED, gap);
            journal.appendGap(AGENT, epoch, SCHEDULED, gap);
        }

        JournalAudit.Result result = JournalAudit.compare(AGENT, agentJournal, collectorJournal);

        assertThat(result.doubled()).isEqualTo(1);
        assertThat(result.gapSamples()).isEqualTo(7);
    }

    @Test
    void reportsAnAgentJournalInUseAsCorrupt() throws IOException {
        acknowledge(4);
        collect(0, 1, 2, 3, 4);
        SampleJournal held = SampleJournal.open(agentJournal);
        try {
            JournalAudit.Result result = JournalAudit.compare(AGENT, agentJournal, collectorJournal);

            assertThat(result.corrupt()).singleElement().asString().contains("agent journal");
        } finally {
            held.close();
        }
    }

    private void acknowledge(int sample) throws IOException {
        new AckedPosition(agentJournal.getParent().resolve(AckedPosition.FILE_NAME)).store(epoch, indexes.get(sample));
    }

    private void collect(int... samples) {
        try (CollectorJournal journal = CollectorJournal.open(collectorJournal)) {
            for (int i : samples) {
                journal.append(AGENT, epoch, indexes.get(i), SCHEDULED + 10_000, sample(i));
            }
        }
    }

    private static Sample sample(int second) {
        return new Sample("tcp-0", SCHEDULED + second * 1_000L, 0, Outcome.OK, Sample.NOT_MEASURED, 50_000,
                Sample.NOT_MEASURED, Sample.NOT_MEASURED, 60_000, 0, "");
    }
}
