package dev.vigil.collector.ingest;

import dev.vigil.collector.journal.CollectorJournal;
import dev.vigil.collector.journal.JournalEntry;
import dev.vigil.collector.state.CheckBoard;
import dev.vigil.collector.state.CheckKey;
import dev.vigil.collector.state.CheckStatus;
import dev.vigil.collector.state.SampleDisposition;
import dev.vigil.protocol.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Samples that come from no agent journal: posted to the JSON samples API by another tool, or made by
 * heartbeat checks. Each is decided, appended to the collector's journal and applied to its check,
 * one at a time; a sample that would not be applied is not journaled at all, and the caller is told
 * why. Not thread-safe: the journal's thread only.
 *
 * <p><strong>Identity.</strong> Such a sample is journaled under the reserved agent journal epoch
 * {@link #EPOCH} with its scheduled time as its agent index: its identity is (agent, check, scheduled
 * time). A check's samples are applied only in strictly increasing scheduled order, so the check's last
 * applied sample is the high-water mark of that identity: a sample at or before it is never journaled
 * again, which makes a retried request harmless. To tell a retry ({@link Verdict#DUPLICATE}) from a
 * sample that merely arrived late ({@link Verdict#OUT_OF_ORDER}), the scheduled times of the last
 * {@link #RECENT_PER_CHECK} samples accepted per check are remembered, rebuilt by the replay, so a
 * retry of a whole request is always recognised; an older repeat is reported as out of order, and is
 * just as harmless.
 */
public final class ExternalSamples {
    /**
     * The agent journal epoch of every sample from elsewhere. An agent's epochs are journal creation
     * times in epoch milliseconds, far below it; a batch declaring it is refused.
     */
    public static final long EPOCH = Long.MAX_VALUE;
    /** How many accepted scheduled times per check are remembered to recognise a retry: one full request. */
    static final int RECENT_PER_CHECK = SampleJson.MAX_SAMPLES;

    /** What became of one sample. */
    public enum Verdict {
        /** Journaled and applied. */
        ACCEPTED,
        /** The collector already holds a sample of this check at this scheduled time; ignored. */
        DUPLICATE,
        /** Scheduled more than {@link CheckBoard#MAX_AHEAD} after the collector received it. */
        FUTURE,
        /** Scheduled more than {@link CheckBoard#MAX_AGE} before the collector received it. */
        TOO_OLD,
        /** Scheduled at or before the last sample applied to its check. */
        OUT_OF_ORDER;

        /** Whether the sample was refused for good (neither accepted nor a duplicate). */
        public boolean rejected() {
            return this != ACCEPTED && this != DUPLICATE;
        }

        /** The JSON and metric label, e.g. {@code out_of_order}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * A sample of a request refused for good.
     *
     * @param index                the sample's position in the request's {@code samples}, from 0
     * @param check                its check id
     * @param scheduledEpochMillis its scheduled time
     * @param reason               why: {@link Verdict#FUTURE}, {@link Verdict#TOO_OLD} or {@link Verdict#OUT_OF_ORDER}
     * @param message              the explanation for the sender
     */
    public record Rejected(int index, String check, long scheduledEpochMillis, Verdict reason, String message) {
        /** Requires a rejecting verdict. */
        public Rejected {
            Objects.requireNonNull(check, "check");
            Objects.requireNonNull(message, "message");
            if (!reason.rejected()) {
                throw new IllegalArgumentException("not a rejection: " + reason);
            }
        }
    }

    /**
     * The answer to one request.
     *
     * @param accepted   samples journaled and applied
     * @param duplicates samples the collector already held
     * @param rejected   samples refused for good, by index
     */
    public record Answer(int accepted, int duplicates, List<Rejected> rejected) {
        /** Copies the list. */
        public Answer {
            rejected = List.copyOf(rejected);
        }
    }

    private final CollectorJournal journal;
    private final CheckBoard board;
    private final IngestCounters counters;
    private final Map<CheckKey, RecentTimes> recent = new HashMap<>();

    ExternalSamples(CollectorJournal journal, CheckBoard board, IngestCounters counters) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.board = Objects.requireNonNull(board, "board");
        this.counters = Objects.requireNonNull(counters, "counters");
    }

    /**
     * Takes the samples of one request from {@code agent}, in scheduled order per check whatever their
     * order in the request, and counts them.
     *
     * @param samples             the request's samples, valid and measurements, in request order
     * @param receivedEpochMillis the collector's clock when the request was read
     */
    Answer accept(String agent, List<Sample> samples, long receivedEpochMillis) {
        Integer[] order = new Integer[samples.size()];
        Arrays.setAll(order, i -> i);
        // Stable: two samples of one check at one time keep their order, and the second is the duplicate.
        Arrays.sort(order, Comparator.comparing((Integer i) -> samples.get(i).checkId())
                .thenComparingLong(i -> samples.get(i).scheduledEpochMillis()));
        int accepted = 0;
        int duplicates = 0;
        List<Rejected> rejected = new ArrayList<>();
        for (int index : order) {
            Sample sample = samples.get(index);
            Verdict verdict = offer(agent, sample, receivedEpochMillis);
            switch (verdict) {
                case ACCEPTED -> accepted++;
                case DUPLICATE -> duplicates++;
                default -> {
                    rejected.add(new Rejected(index, sample.checkId(), sample.scheduledEpochMillis(), verdict,
                            message(agent, sample, verdict, receivedEpochMillis)));
                    counters.externalRejected(agent, verdict);
                }
            }
        }
        rejected.sort(Comparator.comparingInt(Rejected::index));
        counters.accepted(agent, accepted);
        counters.duplicates(agent, duplicates);
        return new Answer(accepted, duplicates, rejected);
    }

    /**
     * Decides one sample of {@code agent}'s and, when it is accepted, journals and applies it. The
     * rules are the check board's, so a sample accepted here is applied here and again by a replay.
     *
     * @param sample              a measurement (not {@link dev.vigil.protocol.Outcome#SKIPPED})
     * @param receivedEpochMillis the collector's clock now; stored as the entry's receive time
     */
    public Verdict offer(String agent, Sample sample, long receivedEpochMillis) {
        if (!sample.outcome().isMeasurement()) {
            throw new IllegalArgumentException("a sample from elsewhere must be a measurement (was "
                    + sample.outcome() + ")");
        }
        CheckKey key = new CheckKey(agent, sample.checkId());
        long scheduled = sample.scheduledEpochMillis();
        RecentTimes times = recent.get(key);
        if (times != null && times.contains(scheduled)) {
            return Verdict.DUPLICATE;
        }
        if (scheduled > receivedEpochMillis + CheckBoard.MAX_AHEAD.toMillis()) {
            return Verdict.FUTURE;
        }
        if (scheduled < receivedEpochMillis - CheckBoard.MAX_AGE.toMillis()) {
            return Verdict.TOO_OLD;
        }
        Optional<CheckStatus> status = board.check(key);
        if (status.isPresent() && scheduled <= status.get().lastSample().scheduledEpochMillis()) {
            return Verdict.OUT_OF_ORDER;
        }
        JournalEntry entry = journal.append(agent, EPOCH, scheduled, receivedEpochMillis, sample);
        SampleDisposition disposition = board.apply(agent, sample, receivedEpochMillis, entry.index());
        if (!disposition.applied()) {
            // The tests above are the board's own; a difference is a bug, and the replay will agree with the board.
            throw new IllegalStateException("journaled sample of " + key + " at " + scheduled + " was not applied: "
                    + disposition);
        }
        remember(key, scheduled);
        return Verdict.ACCEPTED;
    }

    /**
     * Remembers a replayed entry of epoch {@link #EPOCH}, also one a restored snapshot already holds:
     * each such entry was applied when it was journaled, so the replay applies it again.
     */
    void replayed(JournalEntry entry) {
        remember(new CheckKey(entry.agent(), entry.sample().checkId()), entry.sample().scheduledEpochMillis());
    }

    private void remember(CheckKey key, long scheduledEpochMillis) {
        recent.computeIfAbsent(key, k -> new RecentTimes()).add(scheduledEpochMillis);
    }

    private String message(String agent, Sample sample, Verdict verdict, long received) {
        String at = "scheduled at " + instant(sample.scheduledEpochMillis());
        return switch (verdict) {
            case FUTURE -> at + " is more than " + CheckBoard.MAX_AHEAD.toMinutes()
                    + " minutes after the collector's clock (" + instant(received) + "): check the sender's clock";
            case TOO_OLD -> at + " is more than " + CheckBoard.MAX_AGE.toDays()
                    + " days before the collector's clock (" + instant(received) + "), beyond every SLA window";
            case OUT_OF_ORDER -> at + " is not after the last sample applied to check '" + sample.checkId()
                    + "' (scheduled at " + instant(board.check(new CheckKey(agent, sample.checkId()))
                            .orElseThrow().lastSample().scheduledEpochMillis())
                    + "); a check's samples must arrive in scheduled order";
            default -> throw new IllegalArgumentException("not a rejection: " + verdict);
        };
    }

    private static Instant instant(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis);
    }

    /**
     * The last scheduled times accepted for one check, ascending (each is after the one before), at most
     * {@link #RECENT_PER_CHECK}; a ring that grows as needed.
     */
    private static final class RecentTimes {
        private long[] times = new long[8];
        private int start;
        private int size;

        void add(long scheduled) {
            if (size == times.length && times.length < RECENT_PER_CHECK) {
                long[] grown = new long[Math.min(RECENT_PER_CHECK, times.length * 2)];
                for (int i = 0; i < size; i++) {
                    grown[i] = times[(start + i) % times.length];
                }
                times = grown;
                start = 0;
            }
            if (size == times.length) {
                times[start] = scheduled;
                start = (start + 1) % times.length;
            } else {
                times[(start + size) % times.length] = scheduled;
                size++;
            }
        }

        boolean contains(long scheduled) {
            int low = 0;
            int high = size - 1;
            while (low <= high) {
                int middle = (low + high) >>> 1;
                long value = times[(start + middle) % times.length];
                if (value < scheduled) {
                    low = middle + 1;
                } else if (value > scheduled) {
                    high = middle - 1;
                } else {
                    return true;
                }
            }
            return false;
        }
    }
}
