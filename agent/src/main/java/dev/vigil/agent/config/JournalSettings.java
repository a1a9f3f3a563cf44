package dev.vigil.agent.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the agent's journal uses its disk: the {@code journal:} block of the agent's file.
 *
 * @param roll        how often the journal starts a new file (cycle); an existing journal keeps the
 *                    roll it was created with
 * @param maxBytes    the disk budget of the journal's files, ≥ {@value #MIN_MAX_BYTES} bytes; beyond it
 *                    the oldest cycle is dropped (and recorded as a gap)
 * @param minFreeBytes the free space the journal always leaves on its file system, ≥
 *                    {@value #MIN_MIN_FREE_BYTES} bytes: the journal maps its files into memory, and a
 *                    write into a mapped file on a full file system kills the process
 * @param retainAcked how long a fully acknowledged cycle is kept after it ended; zero deletes it as
 *                    soon as the collector acknowledged all of it
 */
public record JournalSettings(JournalRoll roll, long maxBytes, long minFreeBytes, Duration retainAcked) {
    /** The smallest disk budget: a few of the journal's 128 KiB growth steps. */
    public static final long MIN_MAX_BYTES = 1L << 20;
    /** The least free space to leave: several of the journal's growth steps, so a grow never hits ENOSPC. */
    public static final long MIN_MIN_FREE_BYTES = 1L << 20;
    /** Hourly files, a 1 GiB budget, 64 MiB always left free, acknowledged cycles deleted at once. */
    public static final JournalSettings DEFAULT = new JournalSettings(JournalRoll.HOURLY, 1L << 30, 64L << 20,
            Duration.ZERO);

    /** Validates the sizes and the retention. */
    public JournalSettings {
        Objects.requireNonNull(roll, "roll");
        Objects.requireNonNull(retainAcked, "retainAcked");
        if (maxBytes < MIN_MAX_BYTES) {
            throw new IllegalArgumentException("journal max_size must be >= 1MiB (was " + maxBytes + " bytes)");
        }
        if (minFreeBytes < MIN_MIN_FREE_BYTES) {
            throw new IllegalArgumentException("journal min_free must be >= 1MiB (was " + minFreeBytes + " bytes)");
        }
        if (retainAcked.isNegative()) {
            throw new IllegalArgumentException("journal retain_acked must be >= 0 (was " + retainAcked + ")");
        }
    }

    /** These settings with {@code roll} instead. */
    public JournalSettings withRoll(JournalRoll other) {
        return new JournalSettings(other, maxBytes, minFreeBytes, retainAcked);
    }

    /** These settings with a disk budget of {@code bytes} instead. */
    public JournalSettings withMaxBytes(long bytes) {
        return new JournalSettings(roll, bytes, minFreeBytes, retainAcked);
    }

    /** These settings with {@code bytes} of free space always left instead. */
    public JournalSettings withMinFreeBytes(long bytes) {
        return new JournalSettings(roll, maxBytes, bytes, retainAcked);
    }

    /** These settings keeping acknowledged cycles for {@code retention} instead. */
    public JournalSettings withRetainAcked(Duration retention) {
        return new JournalSettings(roll, maxBytes, minFreeBytes, retention);
    }
}
