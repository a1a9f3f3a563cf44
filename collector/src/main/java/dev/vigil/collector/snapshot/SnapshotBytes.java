package dev.vigil.collector.snapshot;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The bytes of a snapshot body, kept in chunks of at most {@value #CHUNK_BYTES} bytes: a capture
 * of a large collector grows chunk by chunk instead of doubling and copying one array, and is written
 * to disk as it is. An {@link OutputStream} while captured; read back through {@link #inputStream()}.
 * Not thread-safe; once captured it is not changed, so the writer thread may read it.
 */
public final class SnapshotBytes extends OutputStream {
    /** The size of one chunk. */
    static final int CHUNK_BYTES = 1 << 20;

    private final List<byte[]> chunks = new ArrayList<>();
    private int lastLength;
    private long size;

    /** Empty, ready to be written. */
    public SnapshotBytes() {
    }

    /** All of {@code bytes}, wrapped, not copied: the next write starts a new chunk. */
    public static SnapshotBytes of(byte[] bytes) {
        SnapshotBytes wrapped = new SnapshotBytes();
        if (bytes.length > 0) {
            wrapped.chunks.add(bytes);
            wrapped.lastLength = bytes.length;
            wrapped.size = bytes.length;
        }
        return wrapped;
    }

    @Override
    public void write(int b) {
        if (chunks.isEmpty() || lastLength == chunks.get(chunks.size() - 1).length) {
            chunks.add(new byte[CHUNK_BYTES]);
            lastLength = 0;
        }
        chunks.get(chunks.size() - 1)[lastLength++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] bytes, int offset, int length) {
        int done = 0;
        while (done < length) {
            if (chunks.isEmpty() || lastLength == chunks.get(chunks.size() - 1).length) {
                chunks.add(new byte[CHUNK_BYTES]);
                lastLength = 0;
            }
            byte[] last = chunks.get(chunks.size() - 1);
            int n = Math.min(length - done, last.length - lastLength);
            System.arraycopy(bytes, offset + done, last, lastLength, n);
            lastLength += n;
            done += n;
        }
        size += length;
    }

    /** How many bytes were written. */
    public long size() {
        return size;
    }

    /** Overwrites the 8 bytes at {@code position} with {@code value}, big-endian (a length written late). */
    void patchLong(long position, long value) {
        for (int i = 0; i < Long.BYTES; i++) {
            long at = position + i;
            chunks.get((int) (at / CHUNK_BYTES))[(int) (at % CHUNK_BYTES)] = (byte) (value >>> (56 - 8 * i));
        }
    }

    /** The bytes as read-only buffers, in order, without copying. */
    public ByteBuffer[] buffers() {
        ByteBuffer[] buffers = new ByteBuffer[chunks.size()];
        for (int i = 0; i < buffers.length; i++) {
            int length = i == buffers.length - 1 ? lastLength : chunks.get(i).length;
            buffers[i] = ByteBuffer.wrap(chunks.get(i), 0, length).asReadOnlyBuffer();
        }
        return buffers;
    }

    /** The CRC-32C of the bytes. */
    public int crc32c() {
        CRC32C crc = new CRC32C();
        for (ByteBuffer buffer : buffers()) {
            crc.update(buffer);
        }
        return (int) crc.getValue();
    }

    /** The bytes in one new array, e.g. for a test's comparison. */
    public byte[] toByteArray() {
        byte[] all = new byte[Math.toIntExact(size)];
        int at = 0;
        for (ByteBuffer buffer : buffers()) {
            int n = buffer.remaining();
            buffer.get(all, at, n);
            at += n;
        }
        return all;
    }

    /** A stream reading the bytes from the start. */
    public InputStream inputStream() {
        ByteBuffer[] buffers = buffers();
        return new InputStream() {
            private int current;

            @Override
            public int read() {
                while (current < buffers.length && !buffers[current].hasRemaining()) {
                    current++;
                }
                return current == buffers.length ? -1 : buffers[current].get() & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int length) {
                if (length == 0) {
                    return 0;
                }
                while (current < buffers.length && !buffers[current].hasRemaining()) {
                    current++;
                }
                if (current == buffers.length) {
                    return -1;
                }
                int n = Math.min(length, buffers[current].remaining());
                buffers[current].get(into, offset, n);
                return n;
            }
        };
    }
}
