package dev.vigil.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalWriterTest {
    @TempDir
    Path dataDir;

    // The journal's directory inside the data directory, which also holds its gap log and acked position.
    private Path dir;

    @BeforeEach
    void journalDirectory() {
        dir = dataDir.resolve("journal");
    }

    @Test
    void tellsTheListenerOnlyAfterTheSampleIsInTheJournal() {
        try (SampleJournal journal = SampleJournal.open(dir)) {
            List<String> events = new CopyOnWriteArrayList<>();
            JournalWriter writer = new JournalWriter(journal, 100, new JournalWriter.Listener() {
                @Override
                public void journaled(Sample sample, long index) {
                    List<SampleRecord> stored = new ArrayList<>();
                    try (JournalReader reader = journal.reader()) {
                        reader.read(100, stored);
                    }
                    boolean present = stored.stream().anyMatch(record -> record.journalIndex() == index
                            && record.sample().equals(sample));
                    events.add(sample.checkId() + (present ? " in journal" : " missing"));
                }

                @Override
                public void dropped(Sample sample, LossReason reason) {
                    events.add(sample.checkId() + " dropped: " + reason.label());
                }
            });
            writer.submit(SampleJournalTest.sample("a", 1));
            writer.submit(SampleJournalTest.sample("b", 2));

            await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
            assertThat(events).containsExactly("a in journal", "b in journal");

            assertThat(writer.running()).isTrue();
            writer.close();
            assertThat(writer.running()).isFalse();
            writer.submit(SampleJournalTest.sample("c", 3));
            assertThat(events).last().isEqualTo("c dropped: not_journaled");
            assertThat(journal.gaps().contents().pending()).singleElement()
                    .satisfies(gap -> assertThat(gap.samples()).isEqualTo(1));
        }
    }
}
