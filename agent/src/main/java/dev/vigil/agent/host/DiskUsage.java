package dev.vigil.agent.host;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The space of one mounted file system, as {@code statvfs(3)} reports it.
 *
 * @param mountPoint     where it is mounted
 * @param totalBytes     its size
 * @param freeBytes      blocks not in use, the reserved ones included
 * @param availableBytes blocks an unprivileged user may still fill
 */
public record DiskUsage(Path mountPoint, long totalBytes, long freeBytes, long availableBytes) {

    /** Validates the sizes. */
    public DiskUsage {
        Objects.requireNonNull(mountPoint, "mountPoint");
        if (totalBytes < 0 || freeBytes < 0 || availableBytes < 0) {
            throw new IllegalArgumentException("sizes must be >= 0 (were " + totalBytes + ", " + freeBytes + ", "
                    + availableBytes + ")");
        }
    }

    /** Reads the space of the file system mounted at {@code mountPoint}; this may block on a hung mount. */
    public static DiskUsage of(Path mountPoint) throws IOException {
        FileStore store = Files.getFileStore(mountPoint);
        return new DiskUsage(mountPoint, store.getTotalSpace(), store.getUnallocatedSpace(), store.getUsableSpace());
    }

    /**
     * The share in use as {@code df} shows it: used / (used + available), where the space reserved
     * for root counts as neither; 0 for an empty file system.
     */
    public double usage() {
        long used = totalBytes - freeBytes;
        long usable = used + availableBytes;
        return usable <= 0 ? 0 : Math.max(0, Math.min(1, (double) used / usable));
    }
}
