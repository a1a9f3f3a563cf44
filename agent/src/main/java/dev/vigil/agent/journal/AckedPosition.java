package dev.vigil.agent.journal;

import dev.vigil.config.DurableFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The highest journal index the collector has acknowledged, with the journal epoch it belongs to,
 * kept in a small text file ({@code <epoch> <index>}) apart from any tailer's read position. Written
 * atomically ({@link DurableFile}), so a crash leaves the old or the new position, never a torn one.
 */
public final class AckedPosition {
    /** The file's name in the agent's data directory. */
    public static final String FILE_NAME = "journal-acked";
    /** The epoch of a position written before journals had epochs: it belongs to whatever journal is there. */
    public static final long UNKNOWN_EPOCH = 0;

    private static final Logger LOG = LoggerFactory.getLogger(AckedPosition.class);

    /**
     * A stored position.
     *
     * @param epoch the journal epoch, or {@link #UNKNOWN_EPOCH} for a file from before epochs
     * @param index the highest acknowledged journal index of that epoch, ≥ -1
     */
    public record Mark(long epoch, long index) {
        /** Validates the values. */
        public Mark {
            if (epoch < 0 || index < -1) {
                throw new IllegalArgumentException("acked position needs epoch >= 0 and index >= -1 (was "
                        + epoch + ", " + index + ")");
            }
        }
    }

    private final Path file;

    /** The position kept in {@code file}. */
    public AckedPosition(Path file) {
        this.file = file;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /**
     * The stored position: empty when nothing was acknowledged yet, or when the file cannot be read or
     * parsed (logged; shipping then starts at the journal's beginning in the same epoch, which the
     * collector deduplicates).
     */
    public Optional<Mark> load() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            LOG.warn("Cannot read the acknowledged position {} ({}); shipping the journal from its beginning, "
                    + "the collector ignores what it already holds", file, e.getMessage());
            return Optional.empty();
        }
        String[] fields = text.split("\\s+");
        try {
            if (fields.length == 1) {
                return Optional.of(new Mark(UNKNOWN_EPOCH, Math.max(-1, Long.parseLong(fields[0]))));
            }
            if (fields.length == 2) {
                return Optional.of(new Mark(Long.parseLong(fields[0]), Long.parseLong(fields[1])));
            }
        } catch (IllegalArgumentException e) {
            // Reported below, like any other unexpected content.
        }
        LOG.warn("The acknowledged position {} holds '{}', not '<epoch> <index>'; shipping the journal from its "
                + "beginning, the collector ignores what it already holds", file, text);
        return Optional.empty();
    }

    /** Stores {@code index} of journal {@code epoch} durably. */
    public void store(long epoch, long index) throws IOException {
        DurableFile.write(file, epoch + " " + index + "\n");
    }
}
