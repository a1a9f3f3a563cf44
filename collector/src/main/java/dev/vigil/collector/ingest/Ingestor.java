package dev.vigil.collector.ingest;

import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.journal.JournalEntry;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.SampleDisposition;
import dev.vigil.protocol.Ack;
import dev.vigil.protocol.SampleRecord;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Takes an agent's batch: drops what the collector already holds, appends the rest to the journal,
 * applies it to the checks, and says what to ack. Replayed journal entries go through
 * {@link #replay} to the same place. Not thread-safe: the journal's thread only.
 */
public final class Ingestor {
    private final CollectorJournal journal;
    private final CheckBoard board;
    private final InstantSource clock;
    private final IngestCounters counters;
    private final Map<String, Long> highWaterMarks = new HashMap<>();
    private final Map<SampleDisposition, Long> replayedUnapplied = new EnumMap<>(SampleDisposition.class);

    /**
     * An ingestor appending to {@code journal} and applying to {@code board}.
     *
     * @param clock    stamps each entry with its receive time
     * @param counters counts accepted and duplicate samples per agent
     */
    public Ingestor(CollectorJournal journal, CheckBoard board, InstantSource clock, IngestCounters counters) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.board = Objects.requireNonNull(board, "board");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * Ingests a decoded batch from {@code agent}, whose records are in increasing index order.
     *
     * @return the ack: the agent's high-water mark after the batch, and what was new or duplicate
     */
    public Ack ingest(String agent, List<SampleRecord> records) {
        long mark = highWaterMark(agent);
        long receivedEpochMillis = clock.millis();
        List<JournalEntry> appended = new ArrayList<>(records.size());
        try {
            for (SampleRecord record : records) {
                if (record.journalIndex() > mark) {
                    appended.add(journal.append(agent, record.journalIndex(), receivedEpochMillis, record.sample()));
                    mark = record.journalIndex();
                }
            }
        } finally {
            highWaterMarks.put(agent, mark);
            // Should an append fail part-way, what the journal already holds is applied and covered by
            // the mark, exactly as a replay would see it; the agent's resend skips it as duplicates.
            for (JournalEntry entry : appended) {
                SampleDisposition disposition = board.apply(entry.agent(), entry.sample(),
                        entry.receivedEpochMillis(), entry.index());
                if (!disposition.applied()) {
                    counters.unapplied(agent, disposition);
                }
            }
        }
        int duplicates = records.size() - appended.size();
        counters.accepted(agent, appended.size());
        counters.duplicates(agent, duplicates);
        return new Ack(mark, appended.size(), duplicates);
    }

    /**
     * Applies one entry read back from the journal, as {@link #ingest} applied it the first time: the
     * board decides from the entry's stored receive time, so a sample kept out then is kept out again.
     */
    public void replay(JournalEntry entry) {
        highWaterMarks.merge(entry.agent(), entry.agentIndex(), Math::max);
        SampleDisposition disposition = board.apply(entry.agent(), entry.sample(), entry.receivedEpochMillis(),
                entry.index());
        if (!disposition.applied()) {
            replayedUnapplied.merge(disposition, 1L, Long::sum);
        }
    }

    /** How many replayed entries were not applied, by disposition; for the replay's log line. */
    public Map<SampleDisposition, Long> replayedUnapplied() {
        return new EnumMap<>(replayedUnapplied);
    }

    /** The highest index of {@code agent}'s the journal holds, or -1 when none. */
    public long highWaterMark(String agent) {
        return highWaterMarks.getOrDefault(agent, -1L);
    }
}
