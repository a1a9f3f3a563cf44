package dev.vigil.collector.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.collector.state.AppliedSample;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckState;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotStoreTest {
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void readsBackWhatItWroteAndKeepsOnlyTheTwoNewest() {
        SnapshotStore store = SnapshotStore.open(dir.resolve("snapshots"));
        for (int i = 1; i <= 4; i++) {
            store.write(new Snapshot(100L * i, T0 + i, SnapshotBytes.of(new byte[] {(byte) i, 2, 3})));
        }

        List<Path> files = store.files();
        assertThat(files).hasSize(SnapshotStore.KEEP);
        Snapshot newest = store.read(files.get(0));
        assertThat(newest.journalIndex()).isEqualTo(400);
        assertThat(newest.takenEpochMillis()).isEqualTo(T0 + 4);
        assertThat(newest.body().toByteArray()).containsExactly(4, 2, 3);
        assertThat(store.read(files.get(1)).journalIndex()).isEqualTo(300);
    }

    @Test
    void aBodyOfSeveralChunksIsWrittenAndReadBackByteForByte() {
        byte[] expected = new byte[3 * SnapshotBytes.CHUNK_BYTES + 12_345];
        new SplittableRandom(9).nextBytes(expected);
        SnapshotBytes body = new SnapshotBytes();
        body.write(expected, 0, 100);
        for (int i = 100; i < expected.length; i += 7_777) {
            body.write(expected, i, Math.min(7_777, expected.length - i));
        }
        // A length patched across a chunk boundary lands where a sequential write would have put it.
        long at = SnapshotBytes.CHUNK_BYTES - 3;
        body.patchLong(at, 0x0102030405060708L);
        for (int i = 0; i < Long.BYTES; i++) {
            expected[(int) at + i] = (byte) (i + 1);
        }
        SnapshotStore store = SnapshotStore.open(dir);

        Snapshot read = store.read(store.write(new Snapshot(1, T0, body)));

        assertThat(read.body().size()).isEqualTo(expected.length);
        assertThat(read.body().toByteArray()).isEqualTo(expected);
    }

    @Test
    void refusesATornSnapshotAndOneWhoseBytesChanged() throws IOException {
        SnapshotStore store = SnapshotStore.open(dir);
        Path torn = store.write(new Snapshot(7, T0, SnapshotBytes.of(new byte[1000])));
        try (RandomAccessFile file = new RandomAccessFile(torn.toFile(), "rw")) {
            file.setLength(file.length() - 1);
        }
        assertThatThrownBy(() -> store.read(torn)).isInstanceOf(SnapshotMismatchException.class)
                .hasMessageContaining("torn write");

        Path flipped = store.write(new Snapshot(8, T0 + 1, SnapshotBytes.of(new byte[1000])));
        byte[] bytes = Files.readAllBytes(flipped);
        bytes[bytes.length - 10] ^= 1;
        Files.write(flipped, bytes);
        assertThatThrownBy(() -> store.read(flipped)).isInstanceOf(SnapshotMismatchException.class)
                .hasMessageContaining("checksum");
    }

    @Test
    void aRestoredBoardGoesOnExactlyAsTheOriginalWould() {
        List<AppliedSample> originalSeen = new ArrayList<>();
        List<AppliedSample> restoredSeen = new ArrayList<>();
        CheckBoard original = new CheckBoard(Thresholds.DEFAULT, List.of(originalSeen::add));
        SplittableRandom random = new SplittableRandom(42);
        long time = T0;
        for (int i = 0; i < 500; i++) {
            time += 1_000 + random.nextInt(60_000);
            original.apply("agent-" + random.nextInt(3), sample("check-" + random.nextInt(5), time,
                    random.nextInt(4) != 0), time, i);
        }
        SnapshotBytes body = SnapshotCodec.capture(List.of(original));
        CheckBoard restored = new CheckBoard(Thresholds.DEFAULT, List.of(restoredSeen::add));
        SnapshotCodec.restore(body, List.of(restored));

        assertThat(SnapshotCodec.capture(List.of(restored)).toByteArray()).isEqualTo(body.toByteArray());
        originalSeen.clear();
        for (int i = 500; i < 1_000; i++) {
            time += 1_000 + random.nextInt(60_000);
            Sample sample = sample("check-" + random.nextInt(5), time, random.nextInt(4) != 0);
            String agent = "agent-" + random.nextInt(3);
            assertThat(restored.apply(agent, sample, time, i)).isEqualTo(original.apply(agent, sample, time, i));
        }
        assertThat(restoredSeen).isEqualTo(originalSeen);
        assertThat(restored.checks()).extracting(status -> status.key().id() + "=" + status.state())
                .isEqualTo(original.checks().stream().map(status -> status.key().id() + "=" + status.state()).toList());
        // The comparison above means something only if the continuation went through outages.
        assertThat(originalSeen).filteredOn(applied -> applied.transition().isPresent()
                && applied.transition().get().to() == CheckState.DOWN).isNotEmpty();
        assertThat(restored.check(new CheckKey("agent-0", "check-0"))).isPresent();
    }

    @Test
    void namesThePartThatDoesNotMatch() {
        CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of());
        SnapshotBytes body = SnapshotCodec.capture(List.of(board));
        SnapshotPart other = new SnapshotPart() {
            @Override
            public String snapshotName() {
                return "board";
            }

            @Override
            public int snapshotVersion() {
                return 2;
            }

            @Override
            public void writeSnapshot(java.io.DataOutput out) {
            }

            @Override
            public void readSnapshot(java.io.DataInput in) {
            }
        };
        assertThatThrownBy(() -> SnapshotCodec.restore(body, List.of(other)))
                .isInstanceOf(SnapshotMismatchException.class)
                .hasMessage("part 'board' has format version 1, this collector reads version 2");
    }

    private static Sample sample(String check, long scheduledEpochMillis, boolean success) {
        return new Sample(check, scheduledEpochMillis, 0, success ? Outcome.OK : Outcome.STATUS_MISMATCH,
                -1, -1, -1, -1, 1_000_000, success ? 200 : 503, success ? "" : "HTTP 503");
    }
}
