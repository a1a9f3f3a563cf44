package dev.vigil.collector.ingest;

import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.journal.GapEntry;
import dev.vigil.collector.journal.JournalEntry;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.SampleDisposition;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.Batch;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.InvalidRecord;
import dev.vigil.protocol.Rejection;
import dev.vigil.protocol.RejectionReason;
import dev.vigil.protocol.SampleRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes an agent's batch: drops what the collector already holds, refuses for good what it never
 * will hold, appends the rest to the journal, applies it to the checks, and says what to ack.
 * Replayed journal entries go through {@link #replaySample} and {@link #replayGap} to the same place.
 * Not thread-safe: the journal's thread only.
 *
 * <p>Clock-skew policy: a sample scheduled more than {@link CheckBoard#MAX_AHEAD} after its receive
 * time, or more than {@link CheckBoard#MAX_AGE} before it, is rejected ({@link RejectionReason#FUTURE},
 * {@link RejectionReason#TOO_OLD}): not journaled, listed in the ack so the agent stops sending it, and
 * counted in {@code vigil_ingest_records_rejected_total}.
 */
public final class Ingestor {
    private static final Logger LOG = LoggerFactory.getLogger(Ingestor.class);

    private final CollectorJournal journal;
    private final CheckBoard board;
    private final InstantSource clock;
    private final IngestCounters counters;
    private final Path marksFile;
    private final DedupMarks marks = new DedupMarks();
    private final Map<String, UUID> instances = new HashMap<>();
    private final Map<SampleDisposition, Long> replayedUnapplied = new EnumMap<>(SampleDisposition.class);
    private long restoredThroughIndex = -1;

    /**
     * An ingestor appending to {@code journal} and applying to {@code board}.
     *
     * @param clock     stamps each entry with its receive time
     * @param counters  counts accepted, duplicate and rejected samples per agent
     * @param marksFile where the dedup marks are saved before retention deletes journal files; loaded now
     */
    public Ingestor(CollectorJournal journal, CheckBoard board, InstantSource clock, IngestCounters counters,
            Path marksFile) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.board = Objects.requireNonNull(board, "board");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
        this.marksFile = Objects.requireNonNull(marksFile, "marksFile");
        marks.load(marksFile);
    }

    /**
     * Ingests a decoded batch from {@code agent} whose invalid records are none or all not retryable.
     *
     * @return the cumulative ack for the batch's epoch
     */
    public Ack ingest(String agent, Batch batch) {
        long receivedEpochMillis = clock.millis();
        long epoch = batch.epoch();
        noteInstance(agent, batch.instance(), epoch);
        DedupMarks.Marks mark = marks.of(agent, epoch);
        List<Rejection> rejections = new ArrayList<>();
        List<JournalEntry> appended = new ArrayList<>(batch.records().size());
        int duplicates = 0;
        try {
            for (Gap gap : batch.gaps()) {
                if (gap.sequence() <= mark.gap) {
                    continue;
                }
                journal.appendGap(agent, epoch, receivedEpochMillis, gap);
                mark.gap = gap.sequence();
                counters.gap(agent, gap);
                LOG.warn("Agent {} reports {} samples lost ({}): journal indexes {}..{}, scheduled {}..{}", agent,
                        gap.samples(), gap.reason().label(), gap.firstIndex(), gap.lastIndex(),
                        instant(gap.firstScheduledMillis()), instant(gap.lastScheduledMillis()));
            }
            List<InvalidRecord> invalid = batch.invalid();
            int nextInvalid = 0;
            for (SampleRecord record : batch.records()) {
                while (nextInvalid < invalid.size() && invalid.get(nextInvalid).journalIndex() < record.journalIndex()) {
                    reject(agent, mark, invalid.get(nextInvalid++), rejections);
                }
                if (record.journalIndex() <= mark.index) {
                    duplicates++;
                    continue;
                }
                RejectionReason skew = skew(record.sample().scheduledEpochMillis(), receivedEpochMillis);
                if (skew != null) {
                    rejections.add(new Rejection(record.journalIndex(), skew, skewMessage(record, skew,
                            receivedEpochMillis)));
                    counters.rejectedRecord(agent, skew);
                } else {
                    appended.add(journal.append(agent, epoch, record.journalIndex(), receivedEpochMillis,
                            record.sample()));
                }
                mark.index = record.journalIndex();
            }
            while (nextInvalid < invalid.size()) {
                reject(agent, mark, invalid.get(nextInvalid++), rejections);
            }
        } finally {
            // Should an append fail part-way, what the journal already holds is applied and covered by
            // the mark, exactly as a replay would see it; the agent's resend skips it as duplicates.
            for (JournalEntry entry : appended) {
                SampleDisposition disposition = board.apply(entry.agent(), entry.sample(),
                        entry.receivedEpochMillis(), entry.index());
                if (!disposition.applied()) {
                    counters.unapplied(agent, disposition);
                }
            }
            if (!appended.isEmpty()) {
                // The gauge shows the last sample's delay: set once per batch, not once per sample.
                JournalEntry last = appended.get(appended.size() - 1);
                counters.delivered(agent, last.receivedEpochMillis() - last.sample().scheduledEpochMillis());
            }
        }
        counters.accepted(agent, appended.size());
        counters.duplicates(agent, duplicates);
        if (!rejections.isEmpty()) {
            LOG.warn("Rejected {} of {} samples from agent {}, e.g. journal index {}: {}", rejections.size(),
                    batch.records().size() + batch.invalid().size(), agent, rejections.get(0).journalIndex(),
                    rejections.get(0).message());
        }
        return new Ack(epoch, mark.index, mark.gap, appended.size(), duplicates, rejections);
    }

    private void reject(String agent, DedupMarks.Marks mark, InvalidRecord record, List<Rejection> rejections) {
        if (record.journalIndex() <= mark.index) {
            return;
        }
        rejections.add(new Rejection(record.journalIndex(), RejectionReason.INVALID, record.message()));
        counters.rejectedRecord(agent, RejectionReason.INVALID);
        mark.index = record.journalIndex();
    }

    private static RejectionReason skew(long scheduled, long received) {
        if (scheduled > received + CheckBoard.MAX_AHEAD.toMillis()) {
            return RejectionReason.FUTURE;
        }
        if (scheduled < received - CheckBoard.MAX_AGE.toMillis()) {
            return RejectionReason.TOO_OLD;
        }
        return null;
    }

    private static String skewMessage(SampleRecord record, RejectionReason reason, long received) {
        // In double: a scheduled time near Long.MIN_VALUE must not overflow the difference.
        long offSeconds = (long) (Math.abs((double) record.sample().scheduledEpochMillis() - received) / 1000);
        return "check '" + record.sample().checkId() + "' scheduled at "
                + instant(record.sample().scheduledEpochMillis()) + " is " + offSeconds + " s "
                + (reason == RejectionReason.FUTURE ? "ahead of the collector's clock (limit "
                        + CheckBoard.MAX_AHEAD.toSeconds() + " s): check the agent's clock"
                        : "older than the collector accepts (limit " + CheckBoard.MAX_AGE.toDays() + " days)");
    }

    private static Object instant(long epochMillis) {
        return epochMillis < 0 ? epochMillis + " ms" : Instant.ofEpochMilli(epochMillis);
    }

    private void noteInstance(String agent, UUID instance, long epoch) {
        UUID previous = instances.put(agent, instance);
        if (previous != null && !previous.equals(instance)) {
            LOG.warn("Agent {} now ships from instance {} (epoch {}), before from instance {}: a reinstalled agent, "
                    + "or two agents sharing one credential (each needs its own)", agent, instance, epoch, previous);
        }
        long latest = marks.latestEpoch(agent);
        if (latest > 0 && epoch != latest && marks.of(agent, epoch).index < 0) {
            LOG.info("Agent {} ships from a new journal epoch {} (before {}): its journal was recreated", agent, epoch,
                    latest);
        }
    }

    /**
     * Applies one sample entry read back from the journal, as {@link #ingest} applied it the first time:
     * the board decides from the entry's stored receive time, so a sample kept out then is kept out again.
     */
    public void replaySample(JournalEntry entry) {
        DedupMarks.Marks mark = marks.of(entry.agent(), entry.epoch());
        mark.index = Math.max(mark.index, entry.agentIndex());
        if (entry.index() <= restoredThroughIndex) {
            // Already part of the restored snapshot: only the dedup mark above needed it.
            return;
        }
        SampleDisposition disposition = board.apply(entry.agent(), entry.sample(), entry.receivedEpochMillis(),
                entry.index());
        if (!disposition.applied()) {
            replayedUnapplied.merge(disposition, 1L, Long::sum);
        }
    }

    /**
     * Tells the replay that the board and its listeners were restored from a snapshot holding every
     * journal entry up to {@code journalIndex}: those entries still raise the dedup marks but are not
     * applied again.
     */
    public void restoredThrough(long journalIndex) {
        restoredThroughIndex = journalIndex;
    }

    /** Raises the gap mark for one gap entry read back from the journal. */
    public void replayGap(GapEntry entry) {
        DedupMarks.Marks mark = marks.of(entry.agent(), entry.epoch());
        mark.gap = Math.max(mark.gap, entry.gap().sequence());
    }

    /** How many replayed entries were not applied, by disposition; for the replay's log line. */
    public Map<SampleDisposition, Long> replayedUnapplied() {
        return new EnumMap<>(replayedUnapplied);
    }

    /**
     * Deletes journal files older than {@code retention}, after saving the dedup marks so that what the
     * deleted entries settled stays settled.
     */
    public List<Path> expire(Duration retention) {
        marks.save(marksFile);
        return journal.deleteOlderThan(retention, clock.millis());
    }

    /** The highest index of {@code agent}'s journal epoch {@code epoch} the collector settled, or -1. */
    public long highWaterMark(String agent, long epoch) {
        return marks.of(agent, epoch).index;
    }
}
