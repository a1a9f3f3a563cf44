package dev.vigil.collector.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.collector.incident.Incident;
import dev.vigil.collector.incident.IncidentKind;
import dev.vigil.collector.incident.IncidentStatus;
import dev.vigil.collector.incident.Level;
import dev.vigil.collector.incident.Priority;
import dev.vigil.collector.snapshot.SnapshotBytes;
import dev.vigil.collector.snapshot.SnapshotCodec;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.Thresholds;
import dev.vigil.protocol.Evidence;
import dev.vigil.protocol.Outcome;
import dev.vigil.protocol.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The evidence index per check location: the first failure of the streak, the latest distinct failures
 * within the bound, and the same entries after a snapshot; a snapshot taken without it restores the
 * rest and leaves it empty.
 */
class EvidenceIndexTest {
    private static final long START = 1_790_000_000_000L;
    private static final CheckKey WEB = new CheckKey("edge-1", "web");

    private final EvidenceIndex index = new EvidenceIndex();
    private final CheckBoard board = new CheckBoard(Thresholds.DEFAULT, List.of(index));
    private long journalIndex;

    @Test
    void keepsTheFirstFailureOfTheStreakAndTheLatestDistinctOnesWithinTheBound() {
        apply(failure(0, "HTTP/1.1 503 Service Unavailable"));
        for (int i = 1; i <= 20; i++) {
            // 20 more failures, each differing from the one before: only the latest 7 stay besides the first.
            apply(failure(i, "HTTP/1.1 50" + (i % 2 == 0 ? "2" : "4") + " step " + i));
        }

        List<EvidenceEntry> kept = index.entries(WEB);
        assertThat(kept).hasSize(EvidenceIndex.MAX_ENTRIES);
        assertThat(kept.get(0).evidence().statusLine()).isEqualTo("HTTP/1.1 503 Service Unavailable");
        assertThat(kept.get(1).evidence().statusLine()).isEqualTo("HTTP/1.1 502 step 14");
        assertThat(kept.get(7).evidence().statusLine()).isEqualTo("HTTP/1.1 502 step 20");
    }

    @Test
    void aRepeatedFailureIsKeptOnceAndASuccessStartsANewStreak() {
        apply(failure(0, "HTTP/1.1 503 Service Unavailable"));
        apply(failure(1, "HTTP/1.1 503 Service Unavailable"));
        apply(success(2));
        apply(failure(3, "HTTP/1.1 500 Internal Server Error"));

        assertThat(index.entries(WEB)).extracting(EvidenceEntry::atEpochMillis)
                .containsExactly(at(0), at(3));
        apply(failure(4, "HTTP/1.1 502 Bad Gateway"));
        apply(success(5));
        apply(success(6));
        apply(failure(7, "HTTP/1.1 502 Bad Gateway"));
        // The new streak's first failure repeats the last one kept, yet is kept as the streak's first.
        assertThat(index.entries(WEB)).extracting(EvidenceEntry::atEpochMillis)
                .containsExactly(at(0), at(3), at(4), at(7));
    }

    @Test
    void aLocationWhoseNewestEntryIsOlderThanTheCutoffIsForgotten() {
        apply(failure(0, "HTTP/1.1 503 Service Unavailable"));
        apply(failure(1, "HTTP/1.1 502 Bad Gateway"));

        index.forgetBefore(at(1));
        assertThat(index.entries(WEB)).hasSize(2);
        index.forgetBefore(at(1) + 1);
        assertThat(index.entries(WEB)).isEmpty();
        assertThat(index.locationCount()).isZero();
    }

    @Test
    void anUnreadableEvidencePartIsLeftEmptyAndTheRestOfTheSnapshotRestores() {
        for (int i = 0; i < 6; i++) {
            apply(failure(i, "HTTP/1.1 50" + i + " x"));
        }
        byte[] bytes = SnapshotCodec.capture(List.of(board, index)).toByteArray();
        // The part's frame: its name (2-byte length and "evidence"), version (4) and length (8); then its
        // location count, set here to more locations than its bytes can hold.
        byte[] name = {0, 8, 'e', 'v', 'i', 'd', 'e', 'n', 'c', 'e'};
        int frame = indexOf(bytes, name);
        assertThat(frame).isPositive();
        int count = frame + name.length + 4 + 8;
        bytes[count] = 0x7f;

        EvidenceIndex restored = new EvidenceIndex();
        CheckBoard restoredBoard = new CheckBoard(Thresholds.DEFAULT, List.of(restored));
        SnapshotCodec.restore(SnapshotBytes.of(bytes), List.of(restoredBoard, restored));

        assertThat(restored.locationCount()).isZero();
        assertThat(restoredBoard.check(WEB)).isPresent();
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Test
    void aSnapshotRestoresTheSameEntriesAndASnapshotWithoutThePartLeavesItEmpty() {
        for (int i = 0; i < 12; i++) {
            apply(i % 4 == 3 ? success(i) : failure(i, "HTTP/1.1 50" + (i % 3) + " x"));
        }
        SnapshotBytes body = SnapshotCodec.capture(List.of(board, index));
        EvidenceIndex restored = new EvidenceIndex();
        CheckBoard restoredBoard = new CheckBoard(Thresholds.DEFAULT, List.of(restored));
        SnapshotCodec.restore(body, List.of(restoredBoard, restored));

        assertThat(restored.entries(WEB)).isEqualTo(index.entries(WEB));
        assertThat(SnapshotCodec.capture(List.of(restoredBoard, restored)).toByteArray()).isEqualTo(body.toByteArray());
        // The same next sample gives the same entries on both.
        apply(failure(12, "HTTP/1.1 599 next"));
        restoredBoard.apply("edge-1", failure(12, "HTTP/1.1 599 next"), at(12), journalIndex - 1);
        assertThat(restored.entries(WEB)).isEqualTo(index.entries(WEB));

        SnapshotBytes older = SnapshotCodec.capture(List.of(board));
        EvidenceIndex empty = new EvidenceIndex();
        CheckBoard olderBoard = new CheckBoard(Thresholds.DEFAULT, List.of(empty));
        SnapshotCodec.restore(older, List.of(olderBoard, empty));
        assertThat(empty.locationCount()).isZero();
        assertThat(olderBoard.check(WEB)).isPresent();
    }

    @Test
    void anIncidentSeesTheEntriesFromOneIntervalBeforeItsStartUpToItsOpeningForTheSinks() {
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            samples.add(failure(i, "HTTP/1.1 50" + i + " x"));
        }
        samples.forEach(this::apply);
        Incident incident = new Incident("check/edge-1/web@" + at(1),
                IncidentKind.OUTAGE, "web is down", Optional.empty(),
                List.of(WEB), IncidentStatus.OPEN,
                Level.HIGH, Level.HIGH,
                Priority.P1, at(2), at(2) + 5_000, OptionalLong.empty(),
                Optional.empty(), Optional.empty(), "", Map.of(), 1, List.of(), 2);

        // The default margin is one minute, longer than one 10 s step: the sample before the start counts.
        assertThat(index.forIncident(incident, at(10))).extracting(EvidenceEntry::atEpochMillis)
                .containsExactly(at(0), at(1), at(2), at(3), at(4));
        assertThat(index.atOpening(incident)).extracting(EvidenceEntry::journalIndex).containsExactly(0L, 1L, 2L);
    }

    private void apply(Sample sample) {
        board.apply("edge-1", sample, sample.scheduledEpochMillis(), journalIndex++);
    }

    private static long at(int step) {
        return START + step * 10_000L;
    }

    private static Sample success(int step) {
        return new Sample("web", at(step), 1_000, Outcome.OK, 200_000, 300_000, -1, 1_500_000, 2_000_000, 200, "");
    }

    private static Sample failure(int step, String statusLine) {
        return new Sample("web", at(step), 1_000, Outcome.STATUS_MISMATCH, 200_000, 300_000, -1, 1_500_000, 2_000_000,
                503, "expected 2xx").withEvidence(Evidence.bounded("127.0.0.1:80", statusLine, List.of(), "", false,
                List.of(), List.of(), ""));
    }
}
