package dev.vigil.benchmarks.reliability;

import dev.vigil.agent.journal.AckedPosition;
import dev.vigil.agent.journal.GapLog;
import dev.vigil.agent.journal.JournalReader;
import dev.vigil.agent.journal.SampleJournal;
import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.journal.JournalEntry;
import dev.vigil.protocol.Sample;
import dev.vigil.protocol.SampleRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The comparison after a trial, made from the two journals themselves once both processes stopped:
 * every sample the agent ever journaled, keyed by (agent, epoch, journal index), against every entry
 * of the collector's journal.
 *
 * <ul>
 *   <li><b>lost</b>: journaled by the agent, absent at the collector and not covered by a gap notice
 *       the collector holds, although the agent's acknowledged mark says it was delivered;</li>
 *   <li><b>pending</b>: absent at the collector but above the agent's acknowledged mark, so still the
 *       agent's to send (0 after the drain restart);</li>
 *   <li><b>doubled</b>: an (agent, epoch, index) the collector holds more than once, a run
 *       (agent, check, scheduled time) it holds more than once under different indexes, or a gap
 *       notice (agent, epoch, sequence) it holds twice;</li>
 *   <li><b>collector only</b>: held by the collector but not in the agent's journal (the agent's
 *       journal lost or removed it; with {@code retain_acked} longer than the trial this is 0);</li>
 *   <li><b>corrupt</b>: a journal that fails to open or to be read to its end.</li>
 * </ul>
 */
final class JournalAudit {
    private static final int READ_BATCH = 10_000;
    private static final int EXAMPLES = 5;

    private JournalAudit() {
    }

    /**
     * The outcome of one comparison.
     *
     * @param samples        samples either journal shows the agent journaled: those in the agent's
     *                       journal, and those only the collector still holds (the agent deleted
     *                       their acknowledged files)
     * @param collectorHeld  sample entries in the collector's journal (this agent's)
     * @param lost           agent samples at or below the agent's acknowledged mark, neither at the
     *                       collector nor in a gap it holds
     * @param pending        agent samples above its acknowledged mark not at the collector: still in
     *                       the agent's journal, to be sent when it starts again
     * @param doubled        extra copies at the collector, by index or by run
     * @param collectorOnly  collector entries the agent's journal does not hold
     * @param gapSamples     samples the gap notices at the collector account for
     * @param unreadable     excerpts of the agent's journal that are not samples (each must be in a gap)
     * @param pendingGaps    gaps the stopped agent had not had acknowledged yet
     * @param corrupt        journals that failed to open or read, each with why
     * @param examples       a few of the lost and doubled keys, for the report
     */
    record Result(long samples, long collectorHeld, long lost, long pending, long doubled, long collectorOnly,
            long gapSamples, long unreadable, long pendingGaps, List<String> corrupt, List<String> examples) {
        Result {
            corrupt = List.copyOf(corrupt);
            examples = List.copyOf(examples);
        }
    }

    /**
     * Compares the journal of {@code agent} in {@code agentJournal} (its data directory's
     * {@code journal}) with the collector journal in {@code collectorJournal}. Both processes must
     * have stopped: the agent's journal is opened, and locked, as the agent opens it.
     */
    static Result compare(String agent, Path agentJournal, Path collectorJournal) {
        List<String> corrupt = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        Set<Key> journaled = new HashSet<>();
        long[] unreadable = {0};
        Path dataDir = agentJournal.getParent();
        // Both read before the journal is opened: what the stopped agent left.
        Optional<AckedPosition.Mark> acked = Optional.empty();
        long pendingGaps = 0;
        try {
            acked = new AckedPosition(dataDir.resolve(AckedPosition.FILE_NAME)).load();
            pendingGaps = GapLog.read(dataDir).pending().size();
        } catch (RuntimeException e) {
            corrupt.add("agent acknowledged position or gap log in " + dataDir + ": " + e);
        }
        Optional<AckedPosition.Mark> ackedMark = acked;
        try (SampleJournal journal = SampleJournal.open(agentJournal); JournalReader reader = journal.reader()) {
            long epoch = journal.epoch();
            reader.seekAfter(-1);
            List<SampleRecord> batch = new ArrayList<>(READ_BATCH);
            JournalReader.UnreadableListener listener = (index, why) -> {
                // The agent reports such an excerpt as an UNREADABLE gap; the collector must hold that gap.
                unreadable[0]++;
                journaled.add(new Key(agent, epoch, index));
            };
            while (reader.read(READ_BATCH, batch, listener) > 0) {
                for (SampleRecord record : batch) {
                    journaled.add(new Key(agent, epoch, record.journalIndex()));
                }
                batch.clear();
            }
        } catch (RuntimeException e) {
            corrupt.add("agent journal " + agentJournal + ": " + e);
        }

        Map<Key, Integer> held = new HashMap<>();
        Set<Run> runs = new HashSet<>();
        Map<GapKey, Gap> gaps = new HashMap<>();
        long[] collectorHeld = {0};
        long[] doubled = {0};
        CollectorJournal.Replay replay = CollectorJournal.Replay.of(entry -> {
            if (!entry.agent().equals(agent)) {
                return;
            }
            collectorHeld[0]++;
            Key key = new Key(entry.agent(), entry.epoch(), entry.agentIndex());
            int copies = held.merge(key, 1, Integer::sum);
            boolean newRun = runs.add(Run.of(entry));
            if (copies > 1 || !newRun) {
                doubled[0]++;
                if (examples.size() < EXAMPLES) {
                    examples.add("doubled " + key + " " + Run.of(entry));
                }
            }
        }, entry -> {
            if (!entry.agent().equals(agent)) {
                return;
            }
            GapKey key = new GapKey(entry.agent(), entry.epoch(), entry.gap().sequence());
            Gap gap = new Gap(entry.agent(), entry.epoch(), entry.gap().firstIndex(), entry.gap().lastIndex(),
                    entry.gap().samples());
            if (gaps.putIfAbsent(key, gap) != null) {
                // The same notice twice would count its samples twice.
                doubled[0]++;
                if (examples.size() < EXAMPLES) {
                    examples.add("doubled gap " + key);
                }
            }
        });
        try (CollectorJournal journal = CollectorJournal.open(collectorJournal)) {
            while (journal.replay(READ_BATCH, replay) > 0) {
                // Reads on until the journal is exhausted.
            }
        } catch (RuntimeException e) {
            corrupt.add("collector journal " + collectorJournal + ": " + e);
        }

        long lost = 0;
        long pending = 0;
        for (Key key : journaled) {
            if (!held.containsKey(key) && gaps.values().stream().noneMatch(gap -> gap.covers(key))) {
                if (ackedMark.map(mark -> mark.epoch() != key.epoch() || mark.index() < key.index()).orElse(true)) {
                    // Above the agent's acknowledged mark: still the agent's to send, on its next start.
                    pending++;
                    continue;
                }
                lost++;
                if (examples.size() < 2 * EXAMPLES) {
                    examples.add("lost " + key);
                }
            }
        }
        long collectorOnly = held.keySet().stream().filter(key -> !journaled.contains(key)).count();
        long gapSamples = gaps.values().stream().mapToLong(Gap::samples).sum();
        return new Result(journaled.size() + collectorOnly, collectorHeld[0], lost, pending, doubled[0], collectorOnly,
                gapSamples,
                unreadable[0], pendingGaps, corrupt, examples);
    }

    /** A sample's identity on the wire: the agent, its journal's epoch and its index in that journal. */
    private record Key(String agent, long epoch, long index) {
        @Override
        public String toString() {
            return agent + "/" + epoch + "/" + Long.toHexString(index);
        }
    }

    /** A run's identity in the SLA figures: which check, scheduled when. */
    private record Run(String agent, String checkId, long scheduledEpochMillis) {
        static Run of(JournalEntry entry) {
            Sample sample = entry.sample();
            return new Run(entry.agent(), sample.checkId(), sample.scheduledEpochMillis());
        }
    }

    /** A gap notice's identity: the collector deduplicates gaps by it. */
    private record GapKey(String agent, long epoch, long sequence) {
        @Override
        public String toString() {
            return agent + "/" + epoch + "/gap " + sequence;
        }
    }

    /** A gap notice at the collector: indexes first..last of one journal epoch, holding {@code samples} dropped samples. */
    private record Gap(String agent, long epoch, long firstIndex, long lastIndex, long samples) {
        boolean covers(Key key) {
            return key.agent().equals(agent) && key.epoch() == epoch && firstIndex <= key.index()
                    && key.index() <= lastIndex;
        }
    }
}
