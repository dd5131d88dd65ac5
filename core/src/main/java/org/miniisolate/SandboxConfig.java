package org.miniisolate;

import java.nio.file.Path;
import java.util.Objects;
import org.miniisolate.cgroup.CgroupConfig;

/**
 * Machine-wide settings of a sandbox installation.
 *
 * @param boxRoot      parent of the box directories; must be writable by root only
 * @param firstUid     uid of box 0; box N runs as firstUid + N
 * @param firstGid     gid of box 0
 * @param numBoxes     box ids run from 0 to numBoxes - 1
 * @param launcherDir  private directory the embedded launcher is extracted into
 * @param ownerUid     who owns a box's files between runs (the caller)
 * @param ownerGid     the owner's group
 * @param cgroups      where box cgroups go (isolate's cg_root) and which files discovery reads
 */
public record SandboxConfig(Path boxRoot, int firstUid, int firstGid, int numBoxes, Path launcherDir, int ownerUid, int ownerGid,
                            CgroupConfig cgroups) {
    public static final Path DEFAULT_BOX_ROOT = Path.of("/var/lib/mini-isolate");

    public SandboxConfig {
        Objects.requireNonNull(boxRoot);
        Objects.requireNonNull(launcherDir);
        Objects.requireNonNull(cgroups);
        if (!boxRoot.isAbsolute()) {
            throw new IllegalArgumentException("box root must be an absolute path: " + boxRoot);
        }
        if (firstUid <= 0 || firstGid <= 0) {
            throw new IllegalArgumentException("first_uid and first_gid must be above 0 (boxes never run as root)");
        }
        if (numBoxes <= 0 || (long) firstUid + numBoxes > Integer.MAX_VALUE || (long) firstGid + numBoxes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("num_boxes must be positive and keep every box id within the uid range");
        }
    }

    /** The settings without a word on cgroups: {@link CgroupConfig#defaults()}. */
    public SandboxConfig(Path boxRoot, int firstUid, int firstGid, int numBoxes, Path launcherDir, int ownerUid, int ownerGid) {
        this(boxRoot, firstUid, firstGid, numBoxes, launcherDir, ownerUid, ownerGid, CgroupConfig.defaults());
    }

    /** isolate's defaults: boxes under /var/lib/mini-isolate, uids and gids from 60000, 1000 boxes, owned by root. */
    public static SandboxConfig defaults() {
        return withBoxRoot(DEFAULT_BOX_ROOT);
    }

    /** The defaults with boxes under {@code boxRoot} (the launcher goes to its ".launcher" directory). */
    public static SandboxConfig withBoxRoot(Path boxRoot) {
        return new SandboxConfig(boxRoot, 60000, 60000, 1000, boxRoot.resolve(".launcher"), 0, 0);
    }

    public SandboxConfig withOwner(int uid, int gid) {
        return new SandboxConfig(boxRoot, firstUid, firstGid, numBoxes, launcherDir, uid, gid, cgroups);
    }

    public SandboxConfig withCgroups(CgroupConfig cgroups) {
        return new SandboxConfig(boxRoot, firstUid, firstGid, numBoxes, launcherDir, ownerUid, ownerGid, cgroups);
    }
}
