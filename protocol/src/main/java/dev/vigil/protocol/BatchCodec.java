package dev.vigil.protocol;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Frames a batch of {@link SampleRecord}s for {@code POST /api/v1/ingest}:
 *
 * <pre>
 * magic   4 bytes "VGLB"
 * version u8 = {@value #VERSION}
 * count   u32, 0..{@value #MAX_RECORDS}
 * count × (journalIndex i64, sample as {@link SampleCodec})
 * </pre>
 *
 * Records are in increasing journal index order; the decoder rejects a batch that is not.
 */
public final class BatchCodec {
    /** The media type of an encoded batch. */
    public static final String MEDIA_TYPE = "application/vnd.vigil.batch";
    /** The format version this codec writes and reads. */
    public static final int VERSION = 1;
    /** The largest number of records in one batch. */
    public static final int MAX_RECORDS = 100_000;

    private static final byte[] MAGIC = {'V', 'G', 'L', 'B'};
    private static final int HEADER_BYTES = MAGIC.length + 1 + 4;

    private BatchCodec() {
    }

    /** Encodes {@code records}, which must be in increasing journal index order. */
    public static byte[] encode(List<SampleRecord> records) {
        if (records.size() > MAX_RECORDS) {
            throw new IllegalArgumentException("a batch holds at most " + MAX_RECORDS + " records (was " + records.size() + ")");
        }
        int length = HEADER_BYTES;
        for (SampleRecord record : records) {
            length += 8 + SampleCodec.encodedLength(record.sample());
        }
        ByteBuffer out = ByteBuffer.allocate(length);
        out.put(MAGIC).put((byte) VERSION).putInt(records.size());
        long previous = -1;
        for (SampleRecord record : records) {
            if (record.journalIndex() <= previous) {
                throw new IllegalArgumentException("records must be in increasing journal index order");
            }
            previous = record.journalIndex();
            out.putLong(record.journalIndex());
            SampleCodec.write(record.sample(), out);
        }
        return out.array();
    }

    /**
     * Decodes a batch.
     *
     * @throws ProtocolException naming the record and byte offset of the first thing that is wrong
     */
    public static List<SampleRecord> decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (bytes.length < HEADER_BYTES) {
            throw new ProtocolException("batch is " + bytes.length + " bytes, shorter than its " + HEADER_BYTES + "-byte header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (in.get() != MAGIC[i]) {
                throw new ProtocolException("not a Vigil batch: bad magic at byte " + i);
            }
        }
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw new ProtocolException("unsupported batch version " + version + " (this collector reads " + VERSION + ")");
        }
        long count = in.getInt() & 0xFFFFFFFFL;
        if (count > MAX_RECORDS) {
            throw new ProtocolException("batch declares " + count + " records, more than the " + MAX_RECORDS + " allowed");
        }
        List<SampleRecord> records = new ArrayList<>((int) count);
        long previous = -1;
        for (int i = 0; i < count; i++) {
            int start = in.position();
            long index;
            try {
                index = in.getLong();
            } catch (BufferUnderflowException e) {
                throw new ProtocolException("record " + i + ": truncated journal index at byte " + start
                        + " (batch declares " + count + " records)");
            }
            if (index <= previous) {
                throw new ProtocolException("record " + i + ": journal index " + index
                        + " is not greater than the previous " + previous + " at byte " + start);
            }
            previous = index;
            Sample sample;
            try {
                sample = SampleCodec.read(in);
            } catch (ProtocolException e) {
                throw new ProtocolException("record " + i + ": " + e.getMessage());
            }
            records.add(new SampleRecord(index, sample));
        }
        if (in.hasRemaining()) {
            throw new ProtocolException(in.remaining() + " trailing bytes after record " + (count - 1)
                    + " at byte " + in.position());
        }
        return records;
    }
}
