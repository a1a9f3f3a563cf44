package dev.vigil.agent.journal;

import dev.vigil.config.DurableFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The agent's durable instance id: a random UUID created once in {@code <dataDir>/instance-id} and
 * sent with every batch, so the collector can tell two agents that share a name (or one agent whose
 * data directory was replaced) apart.
 */
public final class InstanceId {
    /** The file's name in the agent's data directory. */
    public static final String FILE_NAME = "instance-id";

    private InstanceId() {
    }

    /**
     * The instance id kept in {@code dataDir}, created (durably) when there is none yet.
     *
     * @throws UncheckedIOException when the file cannot be read or written, or holds no UUID
     */
    public static UUID loadOrCreate(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw new UncheckedIOException(new IOException("the instance id file " + file + " holds '" + text
                        + "', not a UUID; restore it, or delete it to give the agent a new instance id"));
            }
        } catch (NoSuchFileException e) {
            UUID id = UUID.randomUUID();
            try {
                DurableFile.write(file, id + "\n");
            } catch (IOException written) {
                throw new UncheckedIOException(new IOException("cannot create the instance id " + file + ": "
                        + written.getMessage(), written));
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(new IOException("cannot read the instance id " + file + ": "
                    + e.getMessage(), e));
        }
    }
}
