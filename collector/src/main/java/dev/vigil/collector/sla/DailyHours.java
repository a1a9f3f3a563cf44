package dev.vigil.collector.sla;

/**
 * One span of agreed service hours within a local day, in minutes after local midnight.
 *
 * @param startMinute first minute of the span, 0..1439
 * @param endMinute   first minute after the span, {@code startMinute + 1}..1440 (1440 = the
 *                    following midnight)
 */
public record DailyHours(int startMinute, int endMinute) {
    /** Minutes in a (nominal) day: the end value that means "until midnight". */
    public static final int MINUTES_PER_DAY = 1440;
    /** The whole day, 00:00 to 24:00. */
    public static final DailyHours ALL_DAY = new DailyHours(0, MINUTES_PER_DAY);

    /** Validates {@code 0 <= startMinute < endMinute <= 1440}. */
    public DailyHours {
        if (startMinute < 0 || startMinute >= MINUTES_PER_DAY) {
            throw new IllegalArgumentException("startMinute must be 0..1439 (was " + startMinute + ")");
        }
        if (endMinute <= startMinute || endMinute > MINUTES_PER_DAY) {
            throw new IllegalArgumentException("endMinute must be " + (startMinute + 1) + "..1440 (was "
                    + endMinute + ")");
        }
    }
}
