package dev.vigil.collector.sla;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The latency record of one check: per 15-minute epoch-aligned bucket, the number of samples, the
 * number of successful ones and the successful samples' latencies, kept in microseconds at the
 * resolution of an HdrHistogram of 1 µs .. 1 h at 3 significant digits. Answers latency objectives
 * over any agreed time ({@link #view}) and persists exactly ({@link #writeTo}, {@link #readFrom}).
 *
 * <p>Compact by construction, since 10,000 checks keep 35 to 93 days each. A new sample joins a small
 * array of pending samples (8 bytes each); every {@value #MAX_PENDING} samples the pending ones are
 * sorted and folded into their UTC days (late samples, for a day before the newest, wait in a second
 * array of up to {@value #MAX_LATE}, or until a new day begins, so that a backfill in random order
 * rewrites each day's summary once per batch rather than once per 64 samples) ({@link LatencyDay}): each day holds its buckets
 * entropy-coded one after the other in one byte array ({@link BucketCodec}, about one byte per
 * sample) plus, once a later day has begun, the day's merged summary, which is what a query covering
 * the whole day reads; likewise every complete week (Monday to Sunday, UTC) gets a summary, so a
 * month reads about four weeks and a few days instead of 2,880 buckets. Samples
 * may come in any order and any number of times: a late one folds into its bucket like any other,
 * unless its bucket starts before the horizon set by {@link #forgetBefore}; such samples are ignored
 * and counted ({@link #ignoredSamples}). Latencies outside 1 µs .. 1 h count as the nearest bound.
 * Scheduled times are trusted to be plausible (ingest refuses those far from the receive time): the
 * days are an array from the oldest day held to the newest, 4 bytes for each empty day between.
 *
 * <p>Not thread-safe: one thread records, forgets and queries (the views it returns are immutable
 * and may be handed to other threads).
 */
public final class CheckLatency implements LatencySource {
    /** Length of a bucket: 15 minutes, so local quarter hours of every IANA zone since 1972 align. */
    public static final long BUCKET_MILLIS = 15 * 60_000L;
    /** Samples held pending before they are folded into their days. */
    static final int MAX_PENDING = 64;
    /**
     * Late samples (for a day before the newest one held) held before they are folded in. Folding
     * rewrites the summary of every day it touches, so late samples, which a backfill in random order
     * spreads over many days, are folded in larger batches: at most 32 KB, and only while there are
     * late samples. They are also folded whenever a new day begins.
     */
    static final int MAX_LATE = 4096;
    private static final int FORMAT_VERSION = 1;
    private static final long[] NO_PENDING = new long[0];
    private static final LatencyDay[] NO_DAYS = new LatencyDay[0];
    private static final byte[][] NO_WEEKS = new byte[0][];
    private static final int DAYS_PER_WEEK = 7;
    /** Epoch day 0 was a Thursday: day + 3 counts from Monday 1969-12-29. */
    private static final int MONDAY_OFFSET = 3;
    private static final int BUCKETS_PER_WEEK = DAYS_PER_WEEK * LatencyDay.BUCKETS_PER_DAY;
    /** Guards against allocating absurd arrays when reading a damaged snapshot. */
    private static final int MAX_DAYS_READ = 1 << 20;
    private static final int MAX_BLOCK_BYTES_READ = 1 << 28;

    /** days[i] is UTC day firstDay + i (days since the epoch); null where nothing was recorded. */
    private LatencyDay[] days = NO_DAYS;
    private long firstDay;
    /**
     * weeks[i] is the summary block of week firstWeek + i (Monday to Sunday, UTC, counted from Monday
     * 1969-12-29), or null: see {@link #summarizeCompleteWeeks}.
     */
    private byte[][] weeks = NO_WEEKS;
    private long firstWeek;
    private long[] pending = NO_PENDING;
    private int pendingSize;
    private long[] late = NO_PENDING;
    private int lateSize;
    /** The first bucket kept: buckets before it are forgotten and their late samples ignored. */
    private long firstKeptBucket = Long.MIN_VALUE;
    private long ignoredSamples;

    /** An empty record. */
    public CheckLatency() {
    }

    /**
     * Counts a successful sample and its latency.
     *
     * @param scheduledEpochMillis when the sample was scheduled: this picks its bucket
     * @param latencyMicros        its latency in microseconds; below 1 counts as 1, above an hour as an hour
     * @return false when the sample's bucket lies before the horizon, so it was ignored
     */
    public boolean recordSuccess(long scheduledEpochMillis, long latencyMicros) {
        return record(scheduledEpochMillis, true, latencyMicros);
    }

    /**
     * Counts a failed sample: it counts among the samples, its latency nowhere.
     *
     * @param scheduledEpochMillis when the sample was scheduled: this picks its bucket
     * @return false when the sample's bucket lies before the horizon, so it was ignored
     */
    public boolean recordFailure(long scheduledEpochMillis) {
        return record(scheduledEpochMillis, false, 0);
    }

    private boolean record(long scheduledEpochMillis, boolean success, long latencyMicros) {
        long bucket = Math.floorDiv(scheduledEpochMillis, BUCKET_MILLIS);
        if (bucket < firstKeptBucket) {
            ignoredSamples++;
            return false;
        }
        long entry = LatencyDay.entry(bucket, success, latencyMicros);
        if (days.length > 0 && bucket < (firstDay + days.length - 1) * LatencyDay.BUCKETS_PER_DAY) {
            if (lateSize == late.length) {
                if (late.length < MAX_LATE) {
                    late = Arrays.copyOf(late, Math.min(MAX_LATE, Math.max(4, late.length * 2)));
                } else {
                    foldLate(new LatencyDay.Scratch());
                }
            }
            late[lateSize++] = entry;
            return true;
        }
        if (pendingSize == pending.length) {
            if (pending.length < MAX_PENDING) {
                pending = Arrays.copyOf(pending, Math.min(MAX_PENDING, Math.max(4, pending.length * 2)));
            } else {
                flushPending();
            }
        }
        pending[pendingSize++] = entry;
        return true;
    }

    /**
     * The samples of the buckets whose start lies in {@code agreed}. Reads the summary of every week
     * and every UTC day whose bucket starts all lie in {@code agreed}, where it has one, and the other
     * buckets one by one; the answer is the same either way.
     */
    @Override
    public LatencyView view(IntervalSet agreed) {
        LatencyAccumulator accumulator = new LatencyAccumulator();
        addTo(accumulator, agreed, new BucketCodec.Reader());
        return accumulator.toView();
    }

    /**
     * The samples of several checks together, e.g. every location of every check of a service, over
     * the buckets whose start lies in {@code agreed}: percentiles of the merged samples, not a mean of
     * each check's percentiles.
     */
    public static LatencyView view(List<CheckLatency> checks, IntervalSet agreed) {
        LatencyAccumulator accumulator = new LatencyAccumulator();
        BucketCodec.Reader reader = new BucketCodec.Reader();
        for (CheckLatency check : checks) {
            check.addTo(accumulator, agreed, reader);
        }
        return accumulator.toView();
    }

    private void addTo(LatencyAccumulator accumulator, IntervalSet agreed, BucketCodec.Reader reader) {
        long[] ranges = bucketRanges(agreed);
        long heldFrom = firstDay * LatencyDay.BUCKETS_PER_DAY;
        long heldTo = (firstDay + days.length) * LatencyDay.BUCKETS_PER_DAY;
        for (int r = 0; r < ranges.length / 2; r++) {
            long bucket = Math.max(ranges[2 * r], heldFrom);
            long to = Math.min(ranges[2 * r + 1], heldTo);
            while (bucket < to) {
                long day = Math.floorDiv(bucket, LatencyDay.BUCKETS_PER_DAY);
                long dayStart = day * LatencyDay.BUCKETS_PER_DAY;
                byte[] week = bucket == dayStart && Math.floorMod(day + MONDAY_OFFSET, DAYS_PER_WEEK) == 0
                        && to - bucket >= BUCKETS_PER_WEEK ? weekSummary(weekOf(day)) : null;
                if (week != null) {
                    accumulator.addBlock(week, 0, reader);
                    bucket += BUCKETS_PER_WEEK;
                    continue;
                }
                long dayEnd = Math.min(to, dayStart + LatencyDay.BUCKETS_PER_DAY);
                LatencyDay held = days[(int) (day - firstDay)];
                if (held != null) {
                    held.addTo((int) (bucket - dayStart), (int) (dayEnd - dayStart), accumulator, reader);
                }
                bucket = dayEnd;
            }
        }
        for (int i = 0; i < pendingSize; i++) {
            if (inRanges(ranges, LatencyDay.bucketOf(pending[i]))) {
                accumulator.addEntry(pending[i]);
            }
        }
        for (int i = 0; i < lateSize; i++) {
            if (inRanges(ranges, LatencyDay.bucketOf(late[i]))) {
                accumulator.addEntry(late[i]);
            }
        }
    }

    /**
     * The buckets whose start lies in {@code agreed}, as ascending disjoint ranges of bucket numbers
     * {@code from0, to0, from1, to1, ...} (to exclusive).
     */
    private static long[] bucketRanges(IntervalSet agreed) {
        long[] ranges = new long[2 * agreed.size()];
        int length = 0;
        for (int i = 0; i < agreed.size(); i++) {
            long from = ceilDiv(agreed.start(i), BUCKET_MILLIS);
            long to = ceilDiv(agreed.end(i), BUCKET_MILLIS);
            if (from >= to) {
                continue;
            }
            if (length > 0 && ranges[length - 1] == from) {
                ranges[length - 1] = to;
            } else {
                ranges[length++] = from;
                ranges[length++] = to;
            }
        }
        return length == ranges.length ? ranges : Arrays.copyOf(ranges, length);
    }

    private static boolean inRanges(long[] ranges, long bucket) {
        int lo = 0;
        int hi = ranges.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (bucket < ranges[2 * mid]) {
                hi = mid - 1;
            } else if (bucket >= ranges[2 * mid + 1]) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    /**
     * Forgets every bucket whose start lies before {@code epochMillis}, and from now on ignores samples
     * for them (see {@link #ignoredSamples}). Moving the horizon back has no effect.
     */
    public void forgetBefore(long epochMillis) {
        long cut = ceilDiv(epochMillis, BUCKET_MILLIS);
        if (cut <= firstKeptBucket) {
            return;
        }
        firstKeptBucket = cut;
        pendingSize = keepFrom(cut, pending, pendingSize);
        lateSize = keepFrom(cut, late, lateSize);
        if (days.length == 0) {
            return;
        }
        long cutDay = Math.floorDiv(cut, LatencyDay.BUCKETS_PER_DAY);
        int dropped = (int) Math.max(0, Math.min(days.length, cutDay - firstDay));
        if (dropped < days.length && days[dropped] != null) {
            int firstKeptOfDay = (int) (cut - cutDay * LatencyDay.BUCKETS_PER_DAY);
            if (firstKeptOfDay > 0 && cutDay == firstDay + dropped) {
                days[dropped] = days[dropped].withoutBucketsBefore(firstKeptOfDay, new LatencyDay.Scratch());
            }
        }
        while (dropped < days.length && days[dropped] == null) {
            dropped++;
        }
        days = dropped == days.length ? NO_DAYS : Arrays.copyOfRange(days, dropped, days.length);
        firstDay = days.length == 0 ? 0 : firstDay + dropped;
        // A week that lost buckets keeps no summary: its remaining days answer for it.
        int weeksDropped = 0;
        while (weeksDropped < weeks.length
                && (weeks[weeksDropped] == null || firstBucketOfWeek(firstWeek + weeksDropped) < cut)) {
            weeksDropped++;
        }
        weeks = weeksDropped == weeks.length ? NO_WEEKS : Arrays.copyOfRange(weeks, weeksDropped, weeks.length);
        firstWeek = weeks.length == 0 ? 0 : firstWeek + weeksDropped;
    }

    /** Keeps the entries of bucket {@code cut} or later at the front of {@code entries}; returns how many. */
    private static int keepFrom(long cut, long[] entries, int size) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            if (LatencyDay.bucketOf(entries[i]) >= cut) {
                entries[kept++] = entries[i];
            }
        }
        return kept;
    }

    /** The horizon: samples for buckets that start before it are ignored; {@link Long#MIN_VALUE} when unset. */
    public long horizonEpochMillis() {
        return firstKeptBucket == Long.MIN_VALUE ? Long.MIN_VALUE : firstKeptBucket * BUCKET_MILLIS;
    }

    /** Samples ignored because their bucket started before the horizon. */
    public long ignoredSamples() {
        return ignoredSamples;
    }

    /**
     * An estimate of the heap this record holds, in bytes: its objects and arrays with their headers,
     * as laid out by a 64-bit JVM with compressed class pointers and references (any heap below
     * 32 GB) and 8-byte alignment.
     */
    public long retainedBytes() {
        // Object header 12 bytes, array header 16; this object: 4 references, 2 ints, 4 longs.
        long bytes = align(12 + 6 * 4 + 4 * 8);
        if (days.length > 0) {
            bytes += align(16 + 4L * days.length);
        }
        for (LatencyDay day : days) {
            if (day != null) {
                bytes += align(12 + 2 * 4) + align(16 + day.buckets.length)
                        + (day.summary == null ? 0 : align(16 + day.summary.length));
            }
        }
        if (weeks.length > 0) {
            bytes += align(16 + 4L * weeks.length);
        }
        for (byte[] week : weeks) {
            if (week != null) {
                bytes += align(16 + week.length);
            }
        }
        if (pending.length > 0) {
            bytes += align(16 + 8L * pending.length);
        }
        if (late.length > 0) {
            bytes += align(16 + 8L * late.length);
        }
        return bytes;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    /**
     * Writes this record so that {@link #readFrom} rebuilds it exactly: the same answers to every
     * query, the same horizon and ignored count, and the same bytes when written again.
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeByte(FORMAT_VERSION);
        out.writeLong(firstKeptBucket);
        out.writeLong(ignoredSamples);
        out.writeLong(firstDay);
        out.writeInt(days.length);
        for (LatencyDay day : days) {
            if (day == null) {
                out.writeInt(-1);
                continue;
            }
            // A summary is never empty, so length 0 stands for none (the newest day's).
            byte[] summary = day.summary == null ? new byte[0] : day.summary;
            out.writeInt(summary.length);
            out.write(summary);
            out.writeInt(day.buckets.length);
            out.write(day.buckets);
        }
        out.writeLong(firstWeek);
        out.writeInt(weeks.length);
        for (byte[] week : weeks) {
            out.writeInt(week == null ? -1 : week.length);
            if (week != null) {
                out.write(week);
            }
        }
        out.writeInt(pendingSize);
        for (int i = 0; i < pendingSize; i++) {
            out.writeLong(pending[i]);
        }
        out.writeInt(lateSize);
        for (int i = 0; i < lateSize; i++) {
            out.writeLong(late[i]);
        }
    }

    /**
     * Reads a record written by {@link #writeTo}, checking that every block decodes.
     *
     * @throws IOException when the input ends early or does not hold such a record, with what is wrong
     */
    public static CheckLatency readFrom(DataInput in) throws IOException {
        int version = in.readUnsignedByte();
        if (version != FORMAT_VERSION) {
            throw new IOException("latency record format " + version + " is not " + FORMAT_VERSION);
        }
        CheckLatency latency = new CheckLatency();
        latency.firstKeptBucket = in.readLong();
        latency.ignoredSamples = in.readLong();
        latency.firstDay = in.readLong();
        int dayCount = in.readInt();
        if (dayCount < 0 || dayCount > MAX_DAYS_READ) {
            throw new IOException("latency record holds " + dayCount + " days");
        }
        latency.days = dayCount == 0 ? NO_DAYS : new LatencyDay[dayCount];
        LatencyDay.Scratch scratch = new LatencyDay.Scratch();
        for (int i = 0; i < dayCount; i++) {
            int summaryLength = in.readInt();
            if (summaryLength == -1) {
                continue;
            }
            byte[] summary = readBlock(in, summaryLength, i);
            byte[] buckets = readBlock(in, in.readInt(), i);
            if (summaryLength == 0 && i != dayCount - 1) {
                throw new IOException("latency record day " + (latency.firstDay + i) + " has no summary");
            }
            LatencyDay day = new LatencyDay(summaryLength == 0 ? null : summary, buckets);
            try {
                day.verify(scratch);
            } catch (IllegalStateException e) {
                throw new IOException("latency record day " + (latency.firstDay + i) + ": " + e.getMessage(), e);
            }
            latency.days[i] = day;
        }
        latency.firstWeek = in.readLong();
        int weekCount = in.readInt();
        if (weekCount < 0 || weekCount > MAX_DAYS_READ) {
            throw new IOException("latency record holds " + weekCount + " weeks");
        }
        latency.weeks = weekCount == 0 ? NO_WEEKS : new byte[weekCount][];
        for (int i = 0; i < weekCount; i++) {
            int length = in.readInt();
            if (length != -1) {
                latency.weeks[i] = readBlock(in, length, i);
                latency.verifyWeek(latency.firstWeek + i, scratch);
            }
        }
        latency.pending = readEntries(in, MAX_PENDING, "pending", latency.firstKeptBucket);
        latency.pendingSize = latency.pending.length;
        latency.late = readEntries(in, MAX_LATE, "late", latency.firstKeptBucket);
        latency.lateSize = latency.late.length;
        return latency;
    }

    private static long[] readEntries(DataInput in, int max, String what, long firstKeptBucket) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > max) {
            throw new IOException("latency record holds " + count + " " + what + " samples");
        }
        long[] entries = count == 0 ? NO_PENDING : new long[count];
        for (int i = 0; i < count; i++) {
            long entry = in.readLong();
            if (LatencyDay.bucketOf(entry) < firstKeptBucket || !LatencyDay.validLowBits(LatencyDay.lowBitsOf(entry))) {
                throw new IOException("latency record " + what + " sample " + i + " is invalid");
            }
            entries[i] = entry;
        }
        return entries;
    }

    private static byte[] readBlock(DataInput in, int length, int day) throws IOException {
        if (length < 0 || length > MAX_BLOCK_BYTES_READ) {
            throw new IOException("latency record day index " + day + " has a block of " + length + " bytes");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /**
     * Folds the pending samples into their days; when that begins a new day, the late samples too,
     * and the day that was the newest gets its summary and complete weeks theirs.
     */
    private void flushPending() {
        LatencyDay.Scratch scratch = new LatencyDay.Scratch();
        long newestBefore = days.length == 0 ? Long.MIN_VALUE : firstDay + days.length - 1;
        fold(pending, pendingSize, scratch);
        pendingSize = 0;
        long newest = firstDay + days.length - 1;
        if (newestBefore != Long.MIN_VALUE && newestBefore != newest) {
            foldLate(scratch);
            late = NO_PENDING;
            // The day that was the newest is complete now: it gets the summary full-day queries read.
            int slot = (int) (newestBefore - firstDay);
            if (days[slot] != null) {
                days[slot] = days[slot].withSummary(scratch);
            }
            summarizeCompleteWeeks(scratch);
        }
    }

    private void foldLate(LatencyDay.Scratch scratch) {
        fold(late, lateSize, scratch);
        lateSize = 0;
    }

    /**
     * Folds {@code entries[0..size)} (sorted here) into their days, each with its summary unless it is
     * the newest day held; drops the summaries of the weeks touched.
     */
    private void fold(long[] entries, int size, LatencyDay.Scratch scratch) {
        if (size == 0) {
            return;
        }
        Arrays.sort(entries, 0, size);
        long newest = Math.floorDiv(LatencyDay.bucketOf(entries[size - 1]), LatencyDay.BUCKETS_PER_DAY);
        if (days.length > 0) {
            newest = Math.max(newest, firstDay + days.length - 1);
        }
        int from = 0;
        while (from < size) {
            long day = Math.floorDiv(LatencyDay.bucketOf(entries[from]), LatencyDay.BUCKETS_PER_DAY);
            long nextDayBucket = (day + 1) * LatencyDay.BUCKETS_PER_DAY;
            int to = from + 1;
            while (to < size && LatencyDay.bucketOf(entries[to]) < nextDayBucket) {
                to++;
            }
            int slot = slotFor(day);
            days[slot] = LatencyDay.merge(days[slot], day * LatencyDay.BUCKETS_PER_DAY, entries, from, to,
                    day != newest, scratch);
            dropWeekSummary(weekOf(day));
            from = to;
        }
    }

    /**
     * Gives every complete week its summary, the merge of its days' summaries, which a query covering
     * the whole week reads instead of seven days: a 30-day month then reads about four weeks and a few
     * days. A week is complete when a later day has samples and no bucket of it has been forgotten.
     * Run when the newest day moves on, so a late sample, which drops its week's summary, costs no
     * rebuild of its own; until then queries read that week's days.
     */
    private void summarizeCompleteWeeks(LatencyDay.Scratch scratch) {
        long newestDay = firstDay + days.length - 1;
        for (long week = weekOf(firstDay); firstDayOfWeek(week + 1) <= newestDay; week++) {
            if (firstBucketOfWeek(week) < firstKeptBucket || weekSummary(week) != null) {
                continue;
            }
            LatencyAccumulator accumulator = scratch.accumulator();
            for (long day = firstDayOfWeek(week); day < firstDayOfWeek(week + 1); day++) {
                LatencyDay held = day >= firstDay ? days[(int) (day - firstDay)] : null;
                if (held != null) {
                    accumulator.addBlock(held.summary, 0, scratch.reader);
                }
            }
            accumulator.copyTo(scratch.summary);
            if (scratch.summary.samples > 0) {
                scratch.block.reset();
                BucketCodec.encode(scratch.summary, scratch.block);
                int slot = weekSlotFor(week);
                weeks[slot] = scratch.block.toByteArray();
            }
        }
    }

    private byte[] weekSummary(long week) {
        long slot = week - firstWeek;
        return slot >= 0 && slot < weeks.length ? weeks[(int) slot] : null;
    }

    private void dropWeekSummary(long week) {
        long slot = week - firstWeek;
        if (slot >= 0 && slot < weeks.length) {
            weeks[(int) slot] = null;
        }
    }

    /** The index of {@code week} in {@link #weeks}, growing the array to hold it. */
    private int weekSlotFor(long week) {
        if (weeks.length == 0) {
            weeks = new byte[1][];
            firstWeek = week;
        } else if (week < firstWeek) {
            byte[][] grown = new byte[Math.toIntExact(firstWeek - week + weeks.length)][];
            System.arraycopy(weeks, 0, grown, (int) (firstWeek - week), weeks.length);
            weeks = grown;
            firstWeek = week;
        } else if (week >= firstWeek + weeks.length) {
            weeks = Arrays.copyOf(weeks, Math.toIntExact(week - firstWeek + 1));
        }
        return (int) (week - firstWeek);
    }

    /** Checks a week summary read from outside against the summaries of its days. */
    private void verifyWeek(long week, LatencyDay.Scratch scratch) throws IOException {
        long samples = 0;
        long failures = 0;
        for (long day = firstDayOfWeek(week); day < firstDayOfWeek(week + 1); day++) {
            LatencyDay held = day >= firstDay && day < firstDay + days.length ? days[(int) (day - firstDay)] : null;
            if (held != null) {
                if (held.summary == null) {
                    throw new IOException("latency record week " + week + " holds the newest day");
                }
                BucketCodec.decode(held.summary, 0, scratch.reader, scratch.histogram);
                samples += scratch.histogram.samples;
                failures += scratch.histogram.failures;
            }
        }
        byte[] summary = weeks[(int) (week - firstWeek)];
        try {
            int end = BucketCodec.decode(summary, 0, scratch.reader, scratch.histogram);
            if (end != summary.length || scratch.histogram.samples != samples
                    || scratch.histogram.failures != failures) {
                throw BucketCodec.corrupt("week summary does not match its days");
            }
        } catch (IllegalStateException e) {
            throw new IOException("latency record week " + week + ": " + e.getMessage(), e);
        }
    }

    private static long weekOf(long day) {
        return Math.floorDiv(day + MONDAY_OFFSET, DAYS_PER_WEEK);
    }

    private static long firstDayOfWeek(long week) {
        return week * DAYS_PER_WEEK - MONDAY_OFFSET;
    }

    private static long firstBucketOfWeek(long week) {
        return firstDayOfWeek(week) * LatencyDay.BUCKETS_PER_DAY;
    }

    /** The index of {@code day} in {@link #days}, growing the array to hold it. */
    private int slotFor(long day) {
        if (days.length == 0) {
            days = new LatencyDay[1];
            firstDay = day;
        } else if (day < firstDay) {
            LatencyDay[] grown = new LatencyDay[Math.toIntExact(firstDay - day + days.length)];
            System.arraycopy(days, 0, grown, (int) (firstDay - day), days.length);
            days = grown;
            firstDay = day;
        } else if (day >= firstDay + days.length) {
            days = Arrays.copyOf(days, Math.toIntExact(day - firstDay + 1));
        }
        return (int) (day - firstDay);
    }

    /** Rounds up; unlike {@code -floorDiv(-value, divisor)} right for {@link Long#MIN_VALUE} too. */
    private static long ceilDiv(long value, long divisor) {
        return Math.floorDiv(value, divisor) + (Math.floorMod(value, divisor) == 0 ? 0 : 1);
    }
}
