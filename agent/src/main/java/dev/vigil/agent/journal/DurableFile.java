package dev.vigil.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the agent's small state files (the journal's epoch, acknowledged position and gap log, the
 * cached assignment) so that a crash or a power loss leaves the old content or the new, never a torn
 * file: a temporary file is written and fsynced, renamed over the old one, and the directory is fsynced.
 */
public final class DurableFile {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFile.class);
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private DurableFile() {
    }

    /** Replaces {@code file}'s content with {@code text} (UTF-8), atomically and durably. */
    public static void write(Path file, String text) throws IOException {
        write(file, text, new FileAttribute<?>[0]);
    }

    /**
     * As {@link #write(Path, String)}, readable and writable by the owner alone where the file system
     * has POSIX permissions: for content that may hold secrets.
     */
    public static void writeOwnerOnly(Path file, String text) throws IOException {
        boolean posix = Files.getFileStore(Files.createDirectories(file.toAbsolutePath().getParent()))
                .supportsFileAttributeView(PosixFileAttributeView.class);
        write(file, text, posix ? new FileAttribute<?>[] {OWNER_ONLY} : new FileAttribute<?>[0]);
    }

    private static void write(Path file, String text, FileAttribute<?>[] attributes) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        // A temporary file left by a crash may have other permissions; the attributes apply on creation only.
        Files.deleteIfExists(temporary);
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        try (FileChannel channel = FileChannel.open(temporary, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), attributes)) {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory(directory);
    }

    // Makes the rename itself durable. Not every platform can open a directory for fsync; the content is
    // already durable then, and a power loss may only bring back the previous version of the file.
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("Cannot fsync directory {}: {}", directory, e.getMessage());
        }
    }
}
