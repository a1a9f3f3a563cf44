package dev.vigil.agent.ship;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest journal index the collector has acknowledged, kept in a small text file apart from any
 * tailer's read position. Written atomically: a temporary file is written and fsynced, then renamed
 * over the old one, and the directory is fsynced, so a crash leaves the old or the new index, never a
 * torn one.
 */
final class AckedPosition {
    private static final Logger LOG = LoggerFactory.getLogger(AckedPosition.class);

    private final Path file;
    private final Path temporary;

    AckedPosition(Path file) {
        this.file = file;
        this.temporary = file.resolveSibling(file.getFileName() + ".tmp");
    }

    Path file() {
        return file;
    }

    /** The stored index, or -1 when nothing was acknowledged yet (or the file is unreadable). */
    long load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            LOG.warn("Cannot read the acknowledged position {} ({}); shipping the whole journal again, "
                    + "the collector ignores what it already holds", file, e.getMessage());
            return -1;
        }
        try {
            long index = Long.parseLong(text);
            return Math.max(-1, index);
        } catch (NumberFormatException e) {
            LOG.warn("The acknowledged position {} holds '{}', not an index; shipping the whole journal again, "
                    + "the collector ignores what it already holds", file, text);
            return -1;
        }
    }

    /** Stores {@code index} durably. */
    void store(long index) throws IOException {
        Files.createDirectories(file.getParent());
        ByteBuffer bytes = ByteBuffer.wrap((index + "\n").getBytes(StandardCharsets.US_ASCII));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    // Makes the rename itself durable. Not every platform can open a directory for fsync; the file's
    // content is already durable, so failing here only risks re-sending one batch after a power loss.
    private void syncDirectory() {
        try (FileChannel directory = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            directory.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot fsync directory {}: {}", file.getParent(), e.getMessage());
        }
    }
}
