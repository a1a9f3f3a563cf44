package dev.vigil.benchmarks.reliability;

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
import java.util.Set;

/**
 * The comparison after a trial, made from the two journals themselves once both processes stopped:
 * every sample the agent ever journaled, keyed by (agent, epoch, journal index), against every entry
 * of the collector's journal.
 *
 * <ul>
 *   <li><b>lost</b>: journaled by the agent, absent at the collector and not covered by a gap notice
 *       the collector holds;</li>
 *   <li><b>doubled</b>: an (agent, epoch, index) the collector holds more than once, or a run
 *       (agent, check, scheduled time) it holds more than once under different indexes;</li>
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
     * @param agentSamples   samples in the agent's journal
     * @param collectorHeld  sample entries in the collector's journal (this agent's)
     * @param lost           agent samples neither at the collector nor in a gap it holds
     * @param doubled        extra copies at the collector, by index or by run
     * @param collectorOnly  collector entries the agent's journal does not hold
     * @param gapSamples     samples the gap notices at the collector account for
     * @param corrupt        journals that failed to open or read, each with why
     * @param examples       a few of the lost and doubled keys, for the report
     */
    record Result(long agentSamples, long collectorHeld, long lost, long doubled, long collectorOnly,
            long gapSamples, List<String> corrupt, List<String> examples) {
        Result {
            corrupt = List.copyOf(corrupt);
            examples = List.copyOf(examples);
        }
    }

    /** Compares the agent journal in {@code agentJournal} with the collector journal in {@code collectorJournal}. */
    static Result compare(String agent, Path agentJournal, Path collectorJournal) {
        List<String> corrupt = new ArrayList<>();
        List<String> examples = new ArrayList<>();
        // TODO(protocol v2): the agent's journal epoch goes into each key; until then every sample is epoch 0.
        long epoch = 0;
        Set<Key> journaled = new HashSet<>();
        try (SampleJournal journal = SampleJournal.open(agentJournal); JournalReader reader = journal.reader()) {
            reader.seekAfter(-1);
            List<SampleRecord> batch = new ArrayList<>(READ_BATCH);
            while (reader.read(READ_BATCH, batch) > 0) {
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
        List<Gap> gaps = new ArrayList<>();
        long[] collectorHeld = {0};
        long[] doubled = {0};
        try (CollectorJournal journal = CollectorJournal.open(collectorJournal)) {
            while (journal.replay(READ_BATCH, entry -> {
                if (!entry.agent().equals(agent)) {
                    return;
                }
                collectorHeld[0]++;
                // TODO(protocol v2): take the epoch from the entry; gap entries go to `gaps`.
                Key key = new Key(entry.agent(), epoch, entry.agentIndex());
                int copies = held.merge(key, 1, Integer::sum);
                boolean newRun = runs.add(Run.of(entry));
                if (copies > 1 || !newRun) {
                    doubled[0]++;
                    if (examples.size() < EXAMPLES) {
                        examples.add("doubled " + key + " " + Run.of(entry));
                    }
                }
            }) > 0) {
                // Reads on until the journal is exhausted.
            }
        } catch (RuntimeException e) {
            corrupt.add("collector journal " + collectorJournal + ": " + e);
        }

        long lost = 0;
        for (Key key : journaled) {
            if (!held.containsKey(key) && gaps.stream().noneMatch(gap -> gap.covers(key))) {
                lost++;
                if (examples.size() < 2 * EXAMPLES) {
                    examples.add("lost " + key);
                }
            }
        }
        long collectorOnly = held.keySet().stream().filter(key -> !journaled.contains(key)).count();
        long gapSamples = gaps.stream().mapToLong(Gap::samples).sum();
        return new Result(journaled.size(), collectorHeld[0], lost, doubled[0], collectorOnly, gapSamples, corrupt,
                examples);
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

    /** A gap notice at the collector: indexes first..last of one journal epoch, holding {@code samples} dropped samples. */
    private record Gap(String agent, long epoch, long firstIndex, long lastIndex, long samples) {
        boolean covers(Key key) {
            return key.agent().equals(agent) && key.epoch() == epoch && firstIndex <= key.index()
                    && key.index() <= lastIndex;
        }
    }
}
