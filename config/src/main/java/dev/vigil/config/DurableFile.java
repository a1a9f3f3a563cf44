package dev.vigil.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
 * Replaces a file's content atomically and durably, for the state files of the agent (journal epoch,
 * acknowledged position, gap log, instance id, cached assignment) and of the collector (snapshots, dedup
 * marks, catalogue overlay).
 *
 * <p>The guarantee: whatever happens during a write, a crash or a power loss included, the file holds
 * either its old content or the complete new content, never a torn mix; once a write has returned, the
 * new content survives a power loss. The content goes to a temporary file beside the target
 * ({@code <name>.tmp}), which is fsynced and renamed over the target in one step; then the directory is
 * fsynced, since the rename is durable only once the directory entry is. A write that fails leaves the
 * old file as it was and deletes its temporary file; one that fails only in the directory fsync has
 * already put the new content in place.
 *
 * <p>Two platform limits weaken the guarantee where they apply, never on Linux or macOS local file
 * systems: where the file system cannot rename in place, the target is replaced by a plain move, so a
 * crash at that instant may leave no file; where a directory cannot be opened for fsync, a power loss
 * may bring back the previous content.
 *
 * <p>Blocking. One writer per file at a time: two writers of the same file share its temporary file.
 */
public final class DurableFile {
    private static final Logger LOG = LoggerFactory.getLogger(DurableFile.class);
    private static final FileAttribute<?>[] OWNER_ONLY =
            {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))};
    private static final FileAttribute<?>[] DEFAULT_PERMISSIONS = {};
    private static final Set<StandardOpenOption> CREATE_TO_WRITE =
            Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private DurableFile() {
    }

    /** Replaces {@code file}'s content with {@code text} in UTF-8, creating missing parent directories. */
    public static void write(Path file, String text) throws IOException {
        replace(file, false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * As {@link #write(Path, String)}, the file readable and writable by its owner alone where the file
     * system has POSIX permissions: for content that may hold secrets. The permissions are set when the
     * temporary file is created, so the content is never readable by others, not even for an instant.
     */
    public static void writeOwnerOnly(Path file, String text) throws IOException {
        replace(file, true, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Replaces {@code file}'s content with the remaining bytes of {@code content}, buffer after buffer,
     * creating missing parent directories. The buffers' positions are left as they were.
     */
    public static void write(Path file, ByteBuffer... content) throws IOException {
        replace(file, false, content);
    }

    private static void replace(Path file, boolean ownerOnly, ByteBuffer... content) throws IOException {
        Path directory = file.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        // A temporary file left by a crash goes first: permissions apply only to a file being created. A
        // directory of that name is not ours to delete (deleteIfExists would take an empty one); creating
        // the temporary file then fails, and the write with it.
        if (!Files.isDirectory(temporary, LinkOption.NOFOLLOW_LINKS)) {
            Files.deleteIfExists(temporary);
        }
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView(PosixFileAttributeView.class);
        FileChannel channel = FileChannel.open(temporary, CREATE_TO_WRITE,
                ownerOnly && posix ? OWNER_ONLY : DEFAULT_PERMISSIONS);
        try {
            try (channel) {
                for (ByteBuffer part : content) {
                    ByteBuffer bytes = part.duplicate();
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                }
                channel.force(true);
            }
            rename(temporary, file);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        syncDirectory(directory);
    }

    private static void rename(Path temporary, Path file) throws IOException {
        try {
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(directory, StandardOpenOption.READ);
        } catch (IOException e) {
            // Not every platform opens a directory for fsync; the content is durable already.
            LOG.debug("Cannot open directory {} to fsync it: {}", directory, e.getMessage());
            return;
        }
        try (channel) {
            channel.force(true);
        }
    }
}
