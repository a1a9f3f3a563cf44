package dev.vigil.collector.snapshot;

import dev.vigil.config.DurableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The directory of snapshot files: {@code snapshot-<taken epoch millis>.bin}, each a header (magic,
 * format, journal index, time taken, body length, CRC-32C of the body) and the body. Writes are atomic
 * and durable ({@link DurableFile}); the newest {@value #KEEP} files are kept. Thread-safe for one writer at a time.
 */
public final class SnapshotStore {
    /** How many snapshots are kept, so an unreadable newest one falls back to the one before. */
    public static final int KEEP = 2;

    private static final long MAGIC = 0x5649474c534e4150L; // "VIGLSNAP"
    private static final int FORMAT = 1;
    private static final int HEADER_BYTES = 8 + 4 + 8 + 8 + 8 + 4;
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{1,19})\\.bin");

    private final Path directory;

    private SnapshotStore(Path directory) {
        this.directory = directory;
    }

    /** The store in {@code directory}, created if missing. */
    public static SnapshotStore open(Path directory) {
        Objects.requireNonNull(directory, "directory");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create snapshot directory " + directory, e);
        }
        return new SnapshotStore(directory);
    }

    /** The directory. */
    public Path directory() {
        return directory;
    }

    /** The snapshot files, newest first. */
    public List<Path> files() {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> listing = Files.list(directory)) {
            listing.filter(path -> NAME.matcher(path.getFileName().toString()).matches()).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list snapshot directory " + directory, e);
        }
        files.sort(Comparator.comparingLong(SnapshotStore::takenOf).reversed());
        return files;
    }

    /**
     * Reads one snapshot file.
     *
     * @throws SnapshotMismatchException when the file is not a complete snapshot of this format
     */
    public Snapshot read(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileBytes = channel.size();
            if (fileBytes < HEADER_BYTES) {
                throw new SnapshotMismatchException(file + " is " + fileBytes + " bytes, shorter than a header");
            }
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            readFully(channel, header);
            header.flip();
            if (header.getLong() != MAGIC) {
                throw new SnapshotMismatchException(file + " is not a Vigil snapshot");
            }
            int format = header.getInt();
            if (format != FORMAT) {
                throw new SnapshotMismatchException(file + " has file format " + format + ", this collector reads "
                        + FORMAT);
            }
            long journalIndex = header.getLong();
            long taken = header.getLong();
            long length = header.getLong();
            int crc = header.getInt();
            if (length != fileBytes - HEADER_BYTES) {
                throw new SnapshotMismatchException(file + " should hold " + length + " body bytes but holds "
                        + (fileBytes - HEADER_BYTES) + " (a torn write?)");
            }
            SnapshotBytes bytes = new SnapshotBytes();
            ByteBuffer chunk = ByteBuffer.allocate(SnapshotBytes.CHUNK_BYTES);
            for (long left = length; left > 0; left -= chunk.limit()) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), left));
                readFully(channel, chunk);
                bytes.write(chunk.array(), 0, chunk.limit());
            }
            if (bytes.crc32c() != crc) {
                throw new SnapshotMismatchException(file + " fails its checksum");
            }
            return new Snapshot(journalIndex, taken, bytes);
        } catch (IOException e) {
            throw new SnapshotMismatchException("cannot read " + file + ": " + e, e);
        }
    }

    /**
     * Writes {@code snapshot} durably and atomically, then deletes all but the newest {@value #KEEP}.
     *
     * @return the file written
     */
    public Path write(Snapshot snapshot) {
        Path target = directory.resolve("snapshot-" + snapshot.takenEpochMillis() + ".bin");
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES)
                .putLong(MAGIC)
                .putInt(FORMAT)
                .putLong(snapshot.journalIndex())
                .putLong(snapshot.takenEpochMillis())
                .putLong(snapshot.body().size())
                .putInt(snapshot.body().crc32c())
                .flip();
        ByteBuffer[] body = snapshot.body().buffers();
        ByteBuffer[] content = new ByteBuffer[body.length + 1];
        content[0] = header;
        System.arraycopy(body, 0, content, 1, body.length);
        try {
            DurableFile.write(target, content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + target, e);
        }
        List<Path> files = files();
        for (int i = KEEP; i < files.size(); i++) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete old snapshot " + files.get(i), e);
            }
        }
        return target;
    }

    private static void readFully(FileChannel channel, ByteBuffer into) throws IOException {
        while (into.hasRemaining()) {
            if (channel.read(into) < 0) {
                throw new IOException("the file ended early");
            }
        }
    }

    private static long takenOf(Path file) {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }
}
