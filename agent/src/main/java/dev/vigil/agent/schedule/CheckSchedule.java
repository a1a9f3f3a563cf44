package dev.vigil.agent.schedule;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * When a check is due: at every {@code k × interval + offset} milliseconds since the epoch, where
 * the offset is derived from the check id alone. Checks with the same interval are spread over it,
 * and a restarted agent keeps each check's phase.
 *
 * @param checkId        the check's id
 * @param intervalMillis the interval in milliseconds, ≥ 1
 */
public record CheckSchedule(String checkId, long intervalMillis) {

    /** Validates the interval. */
    public CheckSchedule {
        Objects.requireNonNull(checkId, "checkId");
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("intervalMillis must be >= 1 (was " + intervalMillis + ")");
        }
    }

    /**
     * The check's offset into each interval, 0..interval-1 ms: a CRC-32 of the id's UTF-8 bytes, so it
     * is the same on every JVM and every run.
     */
    public long offsetMillis() {
        CRC32 crc = new CRC32();
        crc.update(checkId.getBytes(StandardCharsets.UTF_8));
        return Math.floorMod(crc.getValue(), intervalMillis);
    }

    /** The first scheduled time at or after {@code epochMillis}. */
    public long slotAtOrAfter(long epochMillis) {
        long offset = offsetMillis();
        long k = Math.floorDiv(epochMillis - offset + intervalMillis - 1, intervalMillis);
        return k * intervalMillis + offset;
    }
}
