package dev.vigil.collector.snapshot;

import dev.vigil.config.DurableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

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
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SnapshotMismatchException("cannot read " + file + ": " + e, e);
        }
        if (bytes.length < HEADER_BYTES) {
            throw new SnapshotMismatchException(file + " is " + bytes.length + " bytes, shorter than a header");
        }
        ByteBuffer header = ByteBuffer.wrap(bytes, 0, HEADER_BYTES);
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
        if (length != bytes.length - HEADER_BYTES) {
            throw new SnapshotMismatchException(file + " should hold " + length + " body bytes but holds "
                    + (bytes.length - HEADER_BYTES) + " (a torn write?)");
        }
        CRC32C check = new CRC32C();
        check.update(bytes, HEADER_BYTES, (int) length);
        if ((int) check.getValue() != crc) {
            throw new SnapshotMismatchException(file + " fails its checksum");
        }
        byte[] body = new byte[(int) length];
        System.arraycopy(bytes, HEADER_BYTES, body, 0, body.length);
        return new Snapshot(journalIndex, taken, body);
    }

    /**
     * Writes {@code snapshot} durably and atomically, then deletes all but the newest {@value #KEEP}.
     *
     * @return the file written
     */
    public Path write(Snapshot snapshot) {
        Path target = directory.resolve("snapshot-" + snapshot.takenEpochMillis() + ".bin");
        CRC32C crc = new CRC32C();
        crc.update(snapshot.body());
        ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES)
                .putLong(MAGIC)
                .putInt(FORMAT)
                .putLong(snapshot.journalIndex())
                .putLong(snapshot.takenEpochMillis())
                .putLong(snapshot.body().length)
                .putInt((int) crc.getValue())
                .flip();
        try {
            DurableFile.write(target, header, ByteBuffer.wrap(snapshot.body()));
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
