package dev.vigil.collector.snapshot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Turns a list of {@link SnapshotPart}s into one body and back. Each part is framed by its name, its
 * format version and its length, so a restore can tell exactly which part does not match and a part
 * that reads too little or too much is caught rather than corrupting the next one.
 */
public final class SnapshotCodec {
    private SnapshotCodec() {
    }

    /** Writes every part, in order. */
    public static byte[] capture(List<? extends SnapshotPart> parts) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
            DataOutputStream out = new DataOutputStream(body);
            out.writeInt(parts.size());
            ByteArrayOutputStream partBytes = new ByteArrayOutputStream(1 << 16);
            for (SnapshotPart part : parts) {
                partBytes.reset();
                DataOutputStream partOut = new DataOutputStream(partBytes);
                part.writeSnapshot(partOut);
                partOut.flush();
                out.writeUTF(part.snapshotName());
                out.writeInt(part.snapshotVersion());
                out.writeInt(partBytes.size());
                partBytes.writeTo(out);
            }
            out.flush();
            return body.toByteArray();
        } catch (IOException e) {
            // Only in-memory streams are involved.
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads {@code body} into {@code parts}, which must be empty and listed as at capture.
     *
     * @throws SnapshotMismatchException when the parts, their versions or their lengths do not match;
     *         the parts may then hold half a state and must be discarded
     */
    public static void restore(byte[] body, List<? extends SnapshotPart> parts) {
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
            int count = in.readInt();
            if (count != parts.size()) {
                throw new SnapshotMismatchException("the snapshot holds " + count + " parts, this collector has "
                        + parts.size());
            }
            for (SnapshotPart part : parts) {
                String name = in.readUTF();
                int version = in.readInt();
                int length = in.readInt();
                if (!name.equals(part.snapshotName())) {
                    throw new SnapshotMismatchException("expected part '" + part.snapshotName() + "', found '" + name
                            + "'");
                }
                if (version != part.snapshotVersion()) {
                    throw new SnapshotMismatchException("part '" + name + "' has format version " + version
                            + ", this collector reads version " + part.snapshotVersion());
                }
                if (length < 0 || length > in.available()) {
                    throw new SnapshotMismatchException("part '" + name + "' claims " + length + " bytes, "
                            + in.available() + " remain");
                }
                byte[] bytes = in.readNBytes(length);
                ByteArrayInputStream partBytes = new ByteArrayInputStream(bytes);
                part.readSnapshot(new DataInputStream(partBytes));
                if (partBytes.available() != 0) {
                    throw new SnapshotMismatchException("part '" + name + "' left " + partBytes.available()
                            + " of its " + length + " bytes unread");
                }
            }
            if (in.available() != 0) {
                throw new SnapshotMismatchException(in.available() + " bytes follow the last part");
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof SnapshotMismatchException mismatch) {
                throw mismatch;
            }
            throw new SnapshotMismatchException("the snapshot cannot be read: " + e, e);
        }
    }
}
