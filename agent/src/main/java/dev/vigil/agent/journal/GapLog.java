package dev.vigil.agent.journal;

import dev.vigil.config.DurableFile;
import dev.vigil.protocol.Gap;
import dev.vigil.protocol.GapReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's durable record of samples it lost ({@link Gap}s), kept in {@code <dataDir>/journal-gaps}
 * until the collector acknowledges them, together with the next gap sequence of the journal's epoch.
 * Every change rewrites the file atomically before it is visible to the shipper, so a gap the shipper
 * sends survives a crash; a gap is removed only once an ack's {@code ackedGap} covers it.
 *
 * <p>Consecutive samples that never reached the journal are aggregated into one
 * {@link GapReason#NOT_JOURNALED} gap while it is still open; {@link #pending} closes every open gap,
 * because the collector keeps a gap sequence once and would ignore it growing later.
 *
 * <p>Thread-safe: the journal thread records drops, the shipper thread reads and settles.
 *
 * <p>File format, one item a line: {@code vigil-gaps 1}, {@code epoch <epoch>}, {@code next <sequence>},
 * then per gap {@code gap <sequence> <reason> <samples> <firstIndex> <lastIndex> <firstScheduledMillis>
 * <lastScheduledMillis>}.
 */
public final class GapLog {
    /** The file's name in the agent's data directory. */
    public static final String FILE_NAME = "journal-gaps";

    private static final Logger LOG = LoggerFactory.getLogger(GapLog.class);
    private static final String HEADER = "vigil-gaps 1";

    /**
     * What a gap log holds.
     *
     * @param epoch        the journal epoch the sequences belong to, or 0 when there is no log yet
     * @param nextSequence the sequence the next gap gets
     * @param pending      the gaps not acknowledged yet, in sequence order
     */
    public record Contents(long epoch, long nextSequence, List<Gap> pending) {
        /** Copies the list. */
        public Contents {
            pending = List.copyOf(pending);
        }
    }

    private final Path file;
    private long epoch;
    private long nextSequence;
    private final List<Gap> pending = new ArrayList<>();
    private boolean open;
    private boolean unsaved;

    private GapLog(Path file, Contents contents) {
        this.file = file;
        this.epoch = contents.epoch();
        this.nextSequence = contents.nextSequence();
        this.pending.addAll(contents.pending());
    }

    /**
     * Reads the gap log of the agent whose data directory is {@code dataDir}, e.g. after the agent
     * stopped; an absent log is empty.
     *
     * @throws UncheckedIOException when the file cannot be read or is not a gap log
     */
    public static Contents read(Path dataDir) {
        return load(dataDir.resolve(FILE_NAME));
    }

    /**
     * Opens the gap log in {@code file} for journal epoch {@code epoch}. Gaps still pending from an
     * earlier epoch are kept, renumbered into this epoch, and lose their journal indexes (which belonged
     * to the earlier journal); their counts and time spans stay.
     */
    static GapLog open(Path file, long epoch) {
        GapLog log = new GapLog(file, load(file));
        log.useEpoch(epoch);
        return log;
    }

    private static Contents load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new Contents(0, 0, List.of());
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot read the gap log " + file + ": " + e.getMessage(), e));
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new UncheckedIOException(new IOException("the gap log " + file + " does not start with '"
                    + HEADER + "'"));
        }
        long epoch = 0;
        long next = 0;
        List<Gap> gaps = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String[] fields = lines.get(i).trim().split(" ");
            try {
                switch (fields[0]) {
                    case "epoch" -> epoch = Long.parseLong(fields[1]);
                    case "next" -> next = Long.parseLong(fields[1]);
                    case "gap" -> gaps.add(new Gap(Long.parseLong(fields[1]),
                            GapReason.valueOf(fields[2].toUpperCase(Locale.ROOT)), Long.parseLong(fields[3]),
                            Long.parseLong(fields[4]), Long.parseLong(fields[5]), Long.parseLong(fields[6]),
                            Long.parseLong(fields[7])));
                    case "" -> {
                        // blank line
                    }
                    default -> throw new IllegalArgumentException("unknown item '" + fields[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new UncheckedIOException(new IOException("the gap log " + file + " line " + (i + 1)
                        + " is not valid ('" + lines.get(i) + "'): " + e.getMessage(), e));
            }
        }
        return new Contents(epoch, next, gaps);
    }

    /** Moves the log to journal epoch {@code newEpoch} (see {@link #open}). */
    synchronized void useEpoch(long newEpoch) {
        if (newEpoch == epoch) {
            return;
        }
        List<Gap> carried = new ArrayList<>();
        long sequence = 0;
        for (Gap gap : pending) {
            carried.add(new Gap(sequence++, gap.reason(), gap.samples(), -1, -1, gap.firstScheduledMillis(),
                    gap.lastScheduledMillis()));
        }
        if (!carried.isEmpty()) {
            LOG.warn("Carrying {} unacknowledged gap(s) of journal epoch {} into epoch {} without their journal indexes",
                    carried.size(), epoch, newEpoch);
        }
        pending.clear();
        pending.addAll(carried);
        epoch = newEpoch;
        nextSequence = sequence;
        open = false;
        // A journal that never lost anything needs no gap log: an absent one starts at sequence 0.
        if (!carried.isEmpty() || Files.exists(file)) {
            save();
        }
    }

    /**
     * Records a gap of {@code samples} samples lost for {@code reason}, with the journal indexes and
     * scheduled times they had (-1 each when unknown), durably unless the disk refuses (then it is kept
     * in memory, logged, and saved with the next change). Returns it.
     */
    public synchronized Gap record(GapReason reason, long samples, long firstIndex, long lastIndex,
            long firstScheduledMillis, long lastScheduledMillis) {
        open = false;
        Gap gap = new Gap(nextSequence++, reason, samples, firstIndex, lastIndex, firstScheduledMillis,
                lastScheduledMillis);
        pending.add(gap);
        save();
        return gap;
    }

    /**
     * Records the loss of the one sample at journal index {@code index} for {@code reason}, unless a
     * pending gap already records exactly that (the same excerpt read again after a restart, before
     * its gap was acknowledged): then returns that gap, so it is never counted twice.
     */
    public synchronized Gap recordOne(GapReason reason, long index, long scheduledMillis) {
        for (Gap gap : pending) {
            if (gap.reason() == reason && gap.firstIndex() == index && gap.lastIndex() == index) {
                return gap;
            }
        }
        return record(reason, 1, index, index, scheduledMillis, scheduledMillis);
    }

    /**
     * Records {@code samples} consecutive samples, scheduled between the two times, that never got a
     * journal index, adding them to the open {@link GapReason#NOT_JOURNALED} gap if there is one.
     */
    public synchronized void notJournaled(long samples, long firstScheduledMillis, long lastScheduledMillis) {
        if (open && !pending.isEmpty() && pending.get(pending.size() - 1).reason() == GapReason.NOT_JOURNALED) {
            Gap last = pending.remove(pending.size() - 1);
            long first = minKnown(last.firstScheduledMillis(), firstScheduledMillis);
            long lastMillis = Math.max(last.lastScheduledMillis(), lastScheduledMillis);
            pending.add(new Gap(last.sequence(), GapReason.NOT_JOURNALED, last.samples() + samples, -1, -1,
                    first, first == -1 ? -1 : lastMillis));
        } else {
            pending.add(new Gap(nextSequence++, GapReason.NOT_JOURNALED, samples, -1, -1, firstScheduledMillis,
                    lastScheduledMillis));
            open = true;
        }
        save();
    }

    private static long minKnown(long a, long b) {
        if (a == -1) {
            return b;
        }
        return b == -1 ? a : Math.min(a, b);
    }

    /** Ends the current run of {@link #notJournaled} samples: the next one starts a new gap. */
    public synchronized void endRun() {
        open = false;
    }

    /**
     * Up to {@code max} pending gaps, oldest first, to send now. Closes the open gap: a sent gap must not
     * grow afterwards.
     */
    public synchronized List<Gap> pending(int max) {
        open = false;
        if (unsaved) {
            save();
        }
        return List.copyOf(pending.subList(0, Math.min(max, pending.size())));
    }

    /** How many gaps are pending. */
    public synchronized int size() {
        return pending.size();
    }

    /** Removes the gaps of epoch {@code ackEpoch} up to sequence {@code ackedGap}, which the collector holds. */
    public synchronized void acknowledged(long ackEpoch, long ackedGap) {
        if (ackEpoch != epoch || pending.isEmpty() || pending.get(0).sequence() > ackedGap) {
            return;
        }
        pending.removeIf(gap -> gap.sequence() <= ackedGap);
        if (pending.isEmpty()) {
            open = false;
        }
        save();
    }

    /** The log's journal epoch. */
    public synchronized long epoch() {
        return epoch;
    }

    /** What the log holds now. */
    public synchronized Contents contents() {
        return new Contents(epoch, nextSequence, pending);
    }

    private void save() {
        StringBuilder text = new StringBuilder(HEADER).append('\n')
                .append("epoch ").append(epoch).append('\n')
                .append("next ").append(nextSequence).append('\n');
        for (Gap gap : pending) {
            text.append("gap ").append(gap.sequence()).append(' ').append(gap.reason().label()).append(' ')
                    .append(gap.samples()).append(' ').append(gap.firstIndex()).append(' ').append(gap.lastIndex())
                    .append(' ').append(gap.firstScheduledMillis()).append(' ').append(gap.lastScheduledMillis())
                    .append('\n');
        }
        try {
            DurableFile.write(file, text.toString());
            if (unsaved) {
                LOG.info("The gap log {} is saved again", file);
            }
            unsaved = false;
        } catch (IOException e) {
            if (!unsaved) {
                LOG.error("Cannot save the gap log {} ({}); its gaps are kept in memory and saved with the next "
                        + "change, but a crash before then loses the record of them", file, e.getMessage());
            }
            unsaved = true;
        }
    }
}
