package org.miniisolate;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.miniisolate.cgroup.CgroupConfig;
import org.miniisolate.config.ConfigValues;

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
 * @param lockRoot     where each box's lock and state live (root-only)
 * @param restrictedInit only root may initialize boxes (a caller acting for another user may not)
 */
public record SandboxConfig(Path boxRoot, int firstUid, int firstGid, int numBoxes, Path launcherDir, int ownerUid, int ownerGid,
                            CgroupConfig cgroups, Path lockRoot, boolean restrictedInit) {
    public static final Path DEFAULT_BOX_ROOT = Path.of("/var/lib/mini-isolate");
    public static final Path DEFAULT_LOCK_ROOT = Path.of("/run/mini-isolate/locks");

    public SandboxConfig {
        Objects.requireNonNull(boxRoot);
        Objects.requireNonNull(launcherDir);
        Objects.requireNonNull(cgroups);
        Objects.requireNonNull(lockRoot);
        if (!boxRoot.isAbsolute() || !lockRoot.isAbsolute()) {
            throw new IllegalArgumentException("box_root and lock_root must be absolute paths: " + boxRoot + ", " + lockRoot);
        }
        if (firstUid <= 0 || firstGid <= 0) {
            throw new IllegalArgumentException("first_uid and first_gid must be above 0 (boxes never run as root)");
        }
        if (numBoxes <= 0 || (long) firstUid + numBoxes > Integer.MAX_VALUE || (long) firstGid + numBoxes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("num_boxes must be positive and keep every box id within the uid range");
        }
    }

    /** The settings without a word on cgroups ({@link CgroupConfig#defaults()}), locks beside the boxes. */
    public SandboxConfig(Path boxRoot, int firstUid, int firstGid, int numBoxes, Path launcherDir, int ownerUid, int ownerGid) {
        this(boxRoot, firstUid, firstGid, numBoxes, launcherDir, ownerUid, ownerGid, CgroupConfig.defaults(),
                boxRoot.resolve(".locks"), false);
    }

    /** isolate's defaults: boxes under /var/lib/mini-isolate, locks in /run/mini-isolate/locks, uids and gids from 60000, 1000 boxes, owned by root. */
    public static SandboxConfig defaults() {
        return new SandboxConfig(DEFAULT_BOX_ROOT, 60000, 60000, 1000, DEFAULT_BOX_ROOT.resolve(".launcher"), 0, 0,
                CgroupConfig.defaults(), DEFAULT_LOCK_ROOT, false);
    }

    /** The defaults with boxes under {@code boxRoot}, and the launcher and locks beside them (".launcher", ".locks"). */
    public static SandboxConfig withBoxRoot(Path boxRoot) {
        return new SandboxConfig(boxRoot, 60000, 60000, 1000, boxRoot.resolve(".launcher"), 0, 0);
    }

    /**
     * The defaults overridden by a configuration file's values. Without box_root in the file,
     * {@code boxRootOverride} (non-null) or the default; the lock root follows a non-default box
     * root, so two installations never share locks by accident.
     */
    public static SandboxConfig from(ConfigValues v, Path boxRootOverride) {
        Path boxRoot = v.boxRoot().orElse(boxRootOverride != null ? boxRootOverride : DEFAULT_BOX_ROOT);
        Path lockRoot = v.lockRoot().orElse(boxRoot.equals(DEFAULT_BOX_ROOT) ? DEFAULT_LOCK_ROOT : boxRoot.resolve(".locks"));
        CgroupConfig cg = CgroupConfig.defaults();
        if (v.cgRoot().isPresent()) {
            try {
                cg = cg.withName(v.cgRoot().get());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cg_root names mini-isolate's own cgroup directory under each hierarchy"
                        + " (for example 'mini-isolate'), not a path: '" + v.cgRoot().get() + "'", e);
            }
        }
        return new SandboxConfig(boxRoot, v.firstUid().orElse(60000), v.firstGid().orElse(60000), v.numBoxes().orElse(1000),
                boxRoot.resolve(".launcher"), 0, 0, cg, lockRoot, v.restrictedInit());
    }

    /**
     * Where an unprivileged caller's boxes live by default: {@code $XDG_RUNTIME_DIR/mini-isolate}
     * (a per-user tmpfs under systemd), else {@code $HOME/.cache/mini-isolate}.
     *
     * @throws IllegalArgumentException when neither variable holds an absolute path
     */
    public static Path userBoxRoot(Map<String, String> env) {
        for (String[] candidate : new String[][] {{"XDG_RUNTIME_DIR", "mini-isolate"}, {"HOME", ".cache/mini-isolate"}}) {
            String dir = env.get(candidate[0]);
            if (dir != null && dir.startsWith("/")) {
                return Path.of(dir).resolve(candidate[1]);
            }
        }
        throw new IllegalArgumentException("rootless mode keeps boxes under $XDG_RUNTIME_DIR or $HOME, and neither is set "
                + "to an absolute path: set one, or box_root in the configuration file");
    }

    /**
     * These settings for a caller who is not root (rootless mode): every place left at root's
     * default (box root, lock root, launcher directory), which only root may use, moves under
     * {@link #userBoxRoot} ({@code .locks}, {@code .launcher} beside the boxes); places set by the
     * configuration or the environment stay. The boxes belong to the caller: without root nobody
     * can act for someone else.
     */
    public SandboxConfig forUnprivilegedCaller(Map<String, String> env, int uid, int gid) {
        Path defaultLauncherDir = DEFAULT_BOX_ROOT.resolve(".launcher");
        boolean boxRootIsDefault = boxRoot.equals(DEFAULT_BOX_ROOT);
        Path userRoot = boxRootIsDefault ? userBoxRoot(env) : boxRoot;
        Path locks = lockRoot.equals(DEFAULT_LOCK_ROOT) || (boxRootIsDefault && lockRoot.equals(DEFAULT_BOX_ROOT.resolve(".locks")))
                ? userRoot.resolve(".locks") : lockRoot;
        Path launcher = launcherDir.equals(defaultLauncherDir) ? userRoot.resolve(".launcher") : launcherDir;
        return new SandboxConfig(userRoot, firstUid, firstGid, numBoxes, launcher, uid, gid, cgroups, locks, restrictedInit);
    }

    public SandboxConfig withOwner(int uid, int gid) {
        return new SandboxConfig(boxRoot, firstUid, firstGid, numBoxes, launcherDir, uid, gid, cgroups, lockRoot, restrictedInit);
    }

    public SandboxConfig withCgroups(CgroupConfig cgroups) {
        return new SandboxConfig(boxRoot, firstUid, firstGid, numBoxes, launcherDir, ownerUid, ownerGid, cgroups, lockRoot, restrictedInit);
    }
}
