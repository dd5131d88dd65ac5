package org.miniisolate.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.miniisolate.nativeio.Mounts;

/**
 * Disk quotas that work on any filesystem: the whole box directory becomes its own tmpfs, sized
 * in blocks and inodes. isolate needs quota support in the host filesystem (ext4 mounted with
 * quotas, or tmpfs); this needs nothing. A program that fills it gets ENOSPC, and the host's disk
 * is never touched. The price: the files live in memory, so quotas should stay judge-sized.
 */
public final class QuotaFilesystem {
    private QuotaFilesystem() {}

    /** Mounts the quota filesystem on the (empty, existing) box directory. */
    public static void mount(Path boxDirectory, Quota quota) {
        String options = "size=" + quota.blocks() + "k,nr_inodes=" + quota.inodes() + ",mode=0755";
        Mounts.mountTmpfs(boxDirectory.toString(), Mounts.MS_NOSUID | Mounts.MS_NODEV, options);
    }

    /** Removes the quota filesystem (and with it all the box's files) if the directory has one. */
    public static void unmountIfPresent(Path boxDirectory) {
        if (isMountPoint(boxDirectory)) {
            Mounts.unmount(boxDirectory.toString());
        }
    }

    /** A directory on another device than its parent is a mount point. */
    public static boolean isMountPoint(Path dir) {
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            Object here = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
            Object parent = Files.getAttribute(dir.toAbsolutePath().getParent(), "unix:dev", LinkOption.NOFOLLOW_LINKS);
            return !here.equals(parent);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
