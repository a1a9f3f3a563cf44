package dev.vigil.collector.snapshot;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a list of {@link SnapshotPart}s into one body and back. Each part is framed by its name, its
 * format version and its length (8 bytes: a large collector's SLA engine passes 2 GB), so a restore
 * can tell exactly which part does not match and a part that reads too little or too much is caught
 * rather than corrupting the next one.
 */
public final class SnapshotCodec {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotCodec.class);
    private SnapshotCodec() {
    }

    /** Writes every part, in order. */
    public static SnapshotBytes capture(List<? extends SnapshotPart> parts) {
        try {
            SnapshotBytes body = new SnapshotBytes();
            DataOutputStream out = new DataOutputStream(body);
            out.writeInt(parts.size());
            for (SnapshotPart part : parts) {
                out.writeUTF(part.snapshotName());
                out.writeInt(part.snapshotVersion());
                out.flush();
                // The part's length is known only once it is written: a placeholder, patched after.
                long lengthAt = body.size();
                out.writeLong(0);
                part.writeSnapshot(out);
                out.flush();
                body.patchLong(lengthAt, body.size() - lengthAt - Long.BYTES);
            }
            out.flush();
            return body;
        } catch (IOException e) {
            // Only memory is written to.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads {@code body} into {@code parts}, which must be empty and listed as at capture.
     *
     * @throws SnapshotMismatchException when the parts, their versions or their lengths do not match;
     *         the parts may then hold half a state and must be discarded
     */
    public static void restore(SnapshotBytes body, List<? extends SnapshotPart> parts) {
        try {
            Bounded stream = new Bounded(body.inputStream(), body.size());
            DataInputStream in = new DataInputStream(stream);
            int count = in.readInt();
            int read = 0;
            Header header = count > 0 ? Header.read(in, stream) : null;
            for (SnapshotPart part : parts) {
                if (header == null || !header.name.equals(part.snapshotName())) {
                    if (part.snapshotOptional()) {
                        continue;
                    }
                    throw header == null
                            ? new SnapshotMismatchException("the snapshot holds " + count + " parts, this collector "
                                    + "has " + parts.size())
                            : new SnapshotMismatchException("expected part '" + part.snapshotName() + "', found '"
                                    + header.name + "'");
                }
                if (header.length < 0 || header.length > header.remaining) {
                    throw new SnapshotMismatchException("part '" + header.name + "' claims " + header.length
                            + " bytes, " + header.remaining + " remain");
                }
                Bounded bounded = new Bounded(stream, header.length);
                if (header.version != part.snapshotVersion()) {
                    if (!part.snapshotOptional()) {
                        throw new SnapshotMismatchException("part '" + header.name + "' has format version "
                                + header.version + ", this collector reads version " + part.snapshotVersion());
                    }
                    // An optional part in another format is skipped and left empty.
                    bounded.skipAll();
                } else if (part.snapshotOptional()) {
                    // An optional part that does not read is left empty, with its bytes skipped: losing what it
                    // holds is better than refusing the snapshot and the SLA history older than the journal.
                    try {
                        part.readSnapshot(new DataInputStream(bounded));
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("Snapshot part '{}' cannot be read and is left empty: {}", header.name, e.toString());
                        part.clearSnapshot();
                        bounded.skipAll();
                    }
                } else {
                    part.readSnapshot(new DataInputStream(bounded));
                }
                if (bounded.left != 0) {
                    throw new SnapshotMismatchException("part '" + header.name + "' left " + bounded.left + " of its "
                            + header.length + " bytes unread");
                }
                read++;
                header = read < count ? Header.read(in, stream) : null;
            }
            if (header != null) {
                throw new SnapshotMismatchException("the snapshot holds part '" + header.name
                        + "', which this collector does not have");
            }
            if (stream.left != 0) {
                throw new SnapshotMismatchException(stream.left + " bytes follow the last part");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SnapshotMismatchException mismatch) {
                throw mismatch;
            }
            throw new SnapshotMismatchException("the snapshot cannot be read: " + e, e);
        }
    }

    /** A part's frame: its name, format version and length, and how many bytes followed the frame. */
    private record Header(String name, int version, long length, long remaining) {
        static Header read(DataInputStream in, Bounded stream) throws IOException {
            String name = in.readUTF();
            int version = in.readInt();
            long length = in.readLong();
            return new Header(name, version, length, stream.left);
        }
    }

    /** At most {@code left} bytes of the stream below: a part cannot read into the next one. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        private long left;

        Bounded(InputStream in, long left) {
            this.in = in;
            this.left = left;
        }

        void skipAll() throws IOException {
            while (read(new byte[8192], 0, 8192) > 0) {
                // drained
            }
        }

        @Override
        public int read() throws IOException {
            if (left == 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            if (left == 0) {
                return -1;
            }
            int n = in.read(into, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
