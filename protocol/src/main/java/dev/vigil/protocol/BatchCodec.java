package dev.vigil.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Frames a batch for {@code POST /api/v1/ingest}. Integers marked {@code uv} are unsigned LEB128
 * varints; {@code zz} is a zigzag varint (signed).
 *
 * <pre>
 * magic      4 bytes "VGLB"
 * version    u8 = {@value #VERSION}
 * epoch      i64, &gt; 0
 * instance   16 bytes (UUID, most significant half first)
 * gapCount   u16, 0..{@value #MAX_GAPS}
 * gapCount × (sequence uv, reason u8, samples uv, firstIndex+1 uv, lastIndex+1 uv,
 *             firstScheduledMillis zz, lastScheduledMillis zz)
 * count      u32, 0..{@value #MAX_RECORDS}
 * count × (index uv: the first record's journal index, then the increase over the previous one (&ge; 1),
 *          length uv: 1..{@link SampleCodec#MAX_ENCODED_BYTES},
 *          sample: length bytes as {@link SampleCodec})
 * </pre>
 *
 * A record's length lets the decoder set aside one record whose sample does not decode (an
 * {@link InvalidRecord}) and read the rest; anything else wrong is a {@link ProtocolException} for the
 * whole batch.
 */
public final class BatchCodec {
    /** The media type of an encoded batch. */
    public static final String MEDIA_TYPE = "application/vnd.vigil.batch";
    /** The format version this codec writes; it reads this one and {@link #OLDEST_VERSION}. */
    public static final int VERSION = 3;
    /**
     * The oldest version still read: version 2 is the same layout, written by agents that do not
     * capture evidence. An older collector answers a version 3 batch with "upgrade the collector".
     */
    public static final int OLDEST_VERSION = 2;
    /** The largest number of records in one batch. */
    public static final int MAX_RECORDS = 100_000;
    /** The largest number of gaps in one batch. */
    public static final int MAX_GAPS = 1_000;

    private static final byte[] MAGIC = {'V', 'G', 'L', 'B'};
    /** Magic, version, epoch and instance. */
    private static final int HEADER_BYTES = MAGIC.length + 1 + 8 + 16;
    private static final int MAX_GAP_BYTES = Varint.MAX_BYTES * 6 + 1;

    private BatchCodec() {
    }

    /**
     * Encodes a batch.
     *
     * @throws IllegalArgumentException when gaps or records are not in increasing order or too many
     */
    public static byte[] encode(long epoch, UUID instance, List<Gap> gaps, List<SampleRecord> records) {
        if (epoch <= 0) {
            throw new IllegalArgumentException("epoch must be > 0 (was " + epoch + ")");
        }
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_RECORDS + " records (was "
                    + records.size() + ")");
        }
        if (gaps.size() > MAX_GAPS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_GAPS + " gaps (was " + gaps.size() + ")");
        }
        int length = HEADER_BYTES + 2 + gaps.size() * MAX_GAP_BYTES + 4;
        for (SampleRecord record : records) {
            int sample = SampleCodec.encodedLength(record.sample());
            length += Varint.MAX_BYTES + Varint.length(sample) + sample;
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put(MAGIC).put((byte) VERSION).putLong(epoch)
                .putLong(instance.getMostSignificantBits()).putLong(instance.getLeastSignificantBits());
        out.putShort((short) gaps.size());
        long previousSequence = -1;
        for (Gap gap : gaps) {
            if (gap.sequence() <= previousSequence) {
                throw new IllegalArgumentException("gaps must be in increasing sequence order");
            }
            previousSequence = gap.sequence();
            Varint.write(gap.sequence(), out);
            out.put((byte) gap.reason().code());
            Varint.write(gap.samples(), out);
            Varint.write(gap.firstIndex() + 1, out);
            Varint.write(gap.lastIndex() + 1, out);
            Varint.write(Varint.zigzag(gap.firstScheduledMillis()), out);
            Varint.write(Varint.zigzag(gap.lastScheduledMillis()), out);
        }
        out.putInt(records.size());
        long previous = -1;
        for (SampleRecord record : records) {
            if (record.journalIndex() <= previous) {
                throw new IllegalArgumentException("records must be in increasing journal index order");
            }
            Varint.write(previous < 0 ? record.journalIndex() : record.journalIndex() - previous, out);
            previous = record.journalIndex();
            Varint.write(SampleCodec.encodedLength(record.sample()), out);
            SampleCodec.write(record.sample(), out);
        }
        byte[] bytes = new byte[out.position()];
        System.arraycopy(out.array(), 0, bytes, 0, bytes.length);
        return bytes;
    }

    /**
     * The format version a body declares, or -1 when it is too short or not a batch; lets the
     * collector tell an agent newer than itself (keep and retry) from bytes that are not a batch.
     */
    public static int declaredVersion(byte[] bytes) {
        if (bytes.length < MAGIC.length + 1) {
            return -1;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                return -1;
            }
        }
        return bytes[MAGIC.length] & 0xFF;
    }

    /** Whether this codec reads batches of {@code version}. */
    public static boolean reads(int version) {
        return version >= OLDEST_VERSION && version <= VERSION;
    }

    /**
     * Decodes a batch.
     *
     * @throws ProtocolException naming the record or gap and byte offset of the first thing that is
     *                           wrong with the framing
     */
    public static Batch decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER_BYTES) {
            throw new ProtocolException("batch is " + bytes.length + " bytes, shorter than its " + HEADER_BYTES
                    + "-byte header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get() != MAGIC[i]) {
                throw new ProtocolException("not a Vigil batch: bad magic at byte " + i);
            }
        }
        int version = in.get() & 0xFF;
        if (!reads(version)) {
            throw new ProtocolException("unsupported batch version " + version + " (this collector reads "
                    + OLDEST_VERSION + ".." + VERSION + ")");
        }
        long epoch = in.getLong();
        if (epoch <= 0) {
            throw new ProtocolException("epoch must be > 0 (was " + epoch + ") at byte 5");
        }
        UUID instance = new UUID(in.getLong(), in.getLong());
        List<Gap> gaps = readGaps(in);
        List<SampleRecord> records = new ArrayList<>();
        List<InvalidRecord> invalid = new ArrayList<>();
        readRecords(in, records, invalid);
        if (in.hasRemaining()) {
            throw new ProtocolException(in.remaining() + " trailing bytes after the last record at byte "
                    + in.position());
        }
        return new Batch(epoch, instance, gaps, records, invalid);
    }

    private static List<Gap> readGaps(ByteBuffer in) {
        int start = in.position();
        int count;
        try {
            count = in.getShort() & 0xFFFF;
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated gap count at byte " + start);
        }
        if (count > MAX_GAPS) {
            throw new ProtocolException("batch declares " + count + " gaps, more than the " + MAX_GAPS
                    + " allowed, at byte " + start);
        }
        List<Gap> gaps = new ArrayList<>(Math.min(count, in.remaining()));
        long previous = -1;
        for (int i = 0; i < count; i++) {
            int at = in.position();
            Gap gap;
            try {
                gap = new Gap(Varint.read(in), GapReason.ofCode(in.get() & 0xFF), Varint.read(in),
                        Varint.read(in) - 1, Varint.read(in) - 1,
                        Varint.unzigzag(Varint.read(in)), Varint.unzigzag(Varint.read(in)));
            } catch (BufferUnderflowException e) {
                throw new ProtocolException("gap " + i + ": truncated at byte " + in.position()
                        + " (gap starts at byte " + at + ")");
            } catch (IllegalArgumentException | ProtocolException e) {
                throw new ProtocolException("gap " + i + " at byte " + at + ": " + e.getMessage());
            }
            if (gap.sequence() <= previous) {
                throw new ProtocolException("gap " + i + ": sequence " + gap.sequence()
                        + " is not greater than the previous " + previous + " at byte " + at);
            }
            previous = gap.sequence();
            gaps.add(gap);
        }
        return gaps;
    }

    private static void readRecords(ByteBuffer in, List<SampleRecord> records, List<InvalidRecord> invalid) {
        int countAt = in.position();
        long count;
        try {
            count = in.getInt() & 0xFFFFFFFFL;
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("truncated record count at byte " + countAt);
        }
        if (count > MAX_RECORDS) {
            throw new ProtocolException("batch declares " + count + " records, more than the " + MAX_RECORDS
                    + " allowed, at byte " + countAt);
        }
        long previous = -1;
        for (int i = 0; i < count; i++) {
            int start = in.position();
            long index;
            long length;
            try {
                long delta = Varint.read(in);
                if (previous >= 0 && delta == 0) {
                    throw new ProtocolException("journal index does not increase over the previous " + previous);
                }
                index = previous < 0 ? delta : previous + delta;
                if (index < 0 || previous >= 0 && index <= previous) {
                    throw new ProtocolException("journal index overflows after " + previous);
                }
                length = Varint.read(in);
            } catch (BufferUnderflowException e) {
                throw new ProtocolException("record " + i + ": truncated header at byte " + start + " (batch declares "
                        + count + " records)");
            } catch (ProtocolException e) {
                throw new ProtocolException("record " + i + " at byte " + start + ": " + e.getMessage());
            }
            if (length < 1 || length > SampleCodec.MAX_ENCODED_BYTES) {
                throw new ProtocolException("record " + i + " at byte " + start + ": sample length " + length
                        + " is outside 1.." + SampleCodec.MAX_ENCODED_BYTES);
            }
            if (length > in.remaining()) {
                throw new ProtocolException("record " + i + " at byte " + start + ": sample length " + length
                        + " runs past the end of the batch (" + in.remaining() + " bytes left)");
            }
            previous = index;
            int sampleStart = in.position();
            int end = sampleStart + (int) length;
            ByteBuffer sampleBytes = in.duplicate().limit(end);
            in.position(end);
            try {
                Sample sample = SampleCodec.read(sampleBytes);
                if (sampleBytes.hasRemaining()) {
                    invalid.add(new InvalidRecord(index, "record " + i + ": " + sampleBytes.remaining()
                            + " bytes left inside the record after its sample at byte " + sampleBytes.position(),
                            false));
                } else {
                    records.add(new SampleRecord(index, sample));
                }
            } catch (UnknownOutcomeException e) {
                invalid.add(new InvalidRecord(index, "record " + i + ": " + e.getMessage(), true));
            } catch (ProtocolException e) {
                invalid.add(new InvalidRecord(index, "record " + i + ": " + e.getMessage(), false));
            }
        }
    }
}
