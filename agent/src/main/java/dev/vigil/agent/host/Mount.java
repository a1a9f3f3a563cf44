package dev.vigil.agent.host;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;

/**
 * One line of the mount table.
 *
 * @param device     what is mounted ({@code /dev/sda1}, {@code tmpfs}, a ZFS dataset)
 * @param mountPoint where, absolute
 * @param type       the file system type ({@code ext4}, {@code xfs}, {@code tmpfs})
 */
public record Mount(String device, Path mountPoint, String type) {
    /**
     * File system types that keep data on a local disk. Memory-backed (tmpfs), virtual (proc, sysfs,
     * cgroup), layered (overlay), read-only images (squashfs, always full) and network file systems
     * (nfs, cifs, which can hang a reader) are not.
     */
    public static final Set<String> LOCAL_DISK_TYPES = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs",
            "jfs", "reiserfs", "bcachefs", "nilfs2", "vfat", "exfat", "ntfs", "ntfs3", "fuseblk", "hfsplus");

    /** Checks for nulls. */
    public Mount {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(mountPoint, "mountPoint");
        Objects.requireNonNull(type, "type");
    }

    /** Whether this is a local disk file system ({@link #LOCAL_DISK_TYPES}). */
    public boolean localDisk() {
        return LOCAL_DISK_TYPES.contains(type);
    }
}
