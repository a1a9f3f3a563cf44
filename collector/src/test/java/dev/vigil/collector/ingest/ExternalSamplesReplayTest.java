package dev.vigil.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Samples from elsewhere through the journal's two ways back: a full replay, and a board restored from
 * a snapshot with the replay skipping what it holds. Either way a retry is still recognised and the
 * check is the same.
 */
class ExternalSamplesReplayTest {
    private static final long NOW = 1_780_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void recognisesARetryAfterAFullReplayAndAfterASnapshotRestoreAlike() throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            samples.add(new Sample("api", NOW - 60_000 + i * 10_000L, 0, i % 2 == 0 ? Outcome.OK : Outcome.TIMEOUT,
                    -1, -1, -1, -1, 1_000_000, 0, ""));
        }
        byte[] snapshot;
        long lastIndex;
        try (CollectorJournal journal = CollectorJournal.open(dir.resolve("journal"))) {
            CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of());
            Ingestor ingestor = ingestor(journal, board);
            replay(journal, ingestor);
            assertThat(ingestor.external().accept("tool", samples, NOW).accepted()).isEqualTo(5);
            snapshot = snapshot(board);
            lastIndex = journal.lastIndex();
        }

        CheckBoard replayed = new CheckBoard(Thresholds.DEFAULT, List.of());
        CheckBoard restored = new CheckBoard(Thresholds.DEFAULT, List.of());
        restored.readSnapshot(new DataInputStream(new ByteArrayInputStream(snapshot)));
        for (CheckBoard board : List.of(replayed, restored)) {
            try (CollectorJournal journal = CollectorJournal.open(dir.resolve("journal"))) {
                Ingestor ingestor = ingestor(journal, board);
                if (board == restored) {
                    ingestor.restoredThrough(lastIndex);
                }
                replay(journal, ingestor);

                ExternalSamples.Answer retried = ingestor.external().accept("tool", samples, NOW);

                assertThat(retried.accepted()).isZero();
                assertThat(retried.duplicates()).isEqualTo(5);
                assertThat(retried.rejected()).isEmpty();
                assertThat(board.check(new CheckKey("tool", "api")).orElseThrow().samples()).isEqualTo(5);
                assertThat(journal.lastIndex()).isEqualTo(lastIndex);
            }
        }
        assertThat(snapshot(replayed)).isEqualTo(snapshot);
        assertThat(snapshot(restored)).isEqualTo(snapshot);
    }

    private Ingestor ingestor(CollectorJournal journal, CheckBoard board) {
        IngestCounters counters = new IngestCounters(new PrometheusRegistry(), List.of("tool"));
        return new Ingestor(journal, board, InstantSource.fixed(Instant.ofEpochMilli(NOW)), counters,
                dir.resolve("dedup-marks"));
    }

    private static void replay(CollectorJournal journal, Ingestor ingestor) {
        CollectorJournal.Replay replay = CollectorJournal.Replay.of(ingestor::replaySample, ingestor::replayGap);
        int read;
        do {
            read = journal.replay(1_000, replay);
        } while (read > 0);
    }

    private static byte[] snapshot(CheckBoard board) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            board.writeSnapshot(out);
        }
        return bytes.toByteArray();
    }
}
