package org.miniisolate.cgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds, controller by controller, where this machine offers what a box needs. One rule covers
 * every layout: a controller lives in the v2 unified tree when it is enabled there for the
 * children of the place boxes go, else in the v1 hierarchy that carries it, else nowhere.
 * CPU accounting and kill are core files of every v2 cgroup, so any usable v2 tree offers them.
 *
 * <p>Where boxes go: as root, right under each mount point (the top of each hierarchy). Without
 * root, only a delegated v2 subtree can be used: the parent of this process's own cgroup, when it
 * is writable. Boxes become siblings of our own cgroup, because a cgroup holding processes (ours)
 * cannot hand controllers to children (v2's no-internal-processes rule).
 *
 * <p>Nothing is created or changed here: discovery only reads.
 */
public final class CgroupDiscovery {
    private static final String SYSTEMD_ROOTLESS_FIX =
            "run inside a delegated cgroup, e.g. `systemd-run --user --scope -p Delegate=yes <command>`; "
                    + "memory and pids must be delegated to your user manager (`systemctl edit user@.service`: "
                    + "[Service] Delegate=cpu cpuset io memory pids), or run as root";

    private final Path mountinfo;
    private final Path selfCgroup;
    private final boolean root;
    private final Predicate<Path> writable;

    /**
     * @param mountinfo  the mount table, as /proc/self/mountinfo
     * @param selfCgroup the membership file, as /proc/self/cgroup
     * @param root       whether this process runs as root (box cgroups go at the top of each hierarchy)
     * @param writable   whether a path may be written by this process (tests fake it)
     */
    public CgroupDiscovery(Path mountinfo, Path selfCgroup, boolean root, Predicate<Path> writable) {
        this.mountinfo = mountinfo;
        this.selfCgroup = selfCgroup;
        this.root = root;
        this.writable = writable;
    }

    /** Discovery of this process, as it is (root or not), from the files {@code config} names. */
    public static CgroupDiscovery of(CgroupConfig config, boolean root) {
        return new CgroupDiscovery(config.mountinfo(), config.selfCgroup(), root, Files::isWritable);
    }

    public CgroupLayout discover() {
        String table;
        String membership;
        try {
            table = Files.readString(mountinfo);
            membership = Files.readString(selfCgroup);
        } catch (IOException e) {
            return CgroupLayout.none("cannot read " + mountinfo + " or " + selfCgroup + ": " + e.getMessage(),
                    "run where /proc is mounted");
        }
        List<CgroupMount> mounts = MountTable.parse(table);
        Membership self = Membership.parse(membership);
        V2Place v2 = placeV2(mounts, self);
        Map<Controller, Home> homes = new EnumMap<>(Controller.class);
        for (Controller c : Controller.values()) {
            homes.put(c, home(c, mounts, v2));
        }
        return new CgroupLayout(mounts, homes);
    }

    /** The v2 tree's verdict: a base and the controllers its children get, or why it cannot be used. */
    private sealed interface V2Place {}

    private record V2Usable(Path mount, Path base, Set<String> enabled) implements V2Place {}

    private record V2Missing(String reason, String fix) implements V2Place {}

    private V2Place placeV2(List<CgroupMount> mounts, Membership self) {
        Optional<CgroupMount> found = mounts.stream().filter(CgroupMount::v2).findFirst();
        if (found.isEmpty()) {
            return new V2Missing("no cgroup v2 mount", "mount it: `mount -t cgroup2 none /sys/fs/cgroup` (or a boot with "
                    + "systemd.unified_cgroup_hierarchy=1)");
        }
        CgroupMount m = found.get();
        Path mount = m.mountPoint();
        Path base;
        if (root) {
            base = mount;
        } else {
            Optional<Path> own = ownDirectory(m, self.v2Path());
            if (own.isEmpty() || own.get().equals(mount)) {
                return new V2Missing("not root, and this process's cgroup v2 " + (own.isEmpty() ? "is not below " + mount
                        : "is the root of the tree") + ", so there is no delegated subtree", SYSTEMD_ROOTLESS_FIX);
            }
            base = own.get().getParent();
            if (!writable.test(base) || !writable.test(base.resolve("cgroup.procs"))) {
                return new V2Missing("not root, and " + base + " (the parent of this process's cgroup) is not writable: "
                        + "no delegated subtree", SYSTEMD_ROOTLESS_FIX);
            }
        }
        if (m.readOnly() || !writable.test(base)) {
            return new V2Missing("cgroup v2 at " + mount + " is " + (m.readOnly() ? "mounted read-only" : "not writable"),
                    "give the sandbox a writable cgroup v2 tree (in a container: run it with its own cgroup namespace "
                            + "and a read-write /sys/fs/cgroup)");
        }
        return new V2Usable(mount, base, Set.of(readOrEmpty(base.resolve("cgroup.subtree_control")).trim().split("\\s+")));
    }

    /** This process's own cgroup directory in the v2 mount, if its path lies below the mount's root. */
    private static Optional<Path> ownDirectory(CgroupMount m, Optional<String> path) {
        if (path.isEmpty() || !path.get().startsWith("/")) {
            return Optional.empty();
        }
        String rootPath = m.root().endsWith("/") ? m.root() : m.root() + "/";
        String p = path.get().endsWith("/") ? path.get() : path.get() + "/";
        if (!p.startsWith(rootPath)) {
            return Optional.empty();
        }
        String rel = p.substring(rootPath.length());
        return Optional.of(rel.isEmpty() ? m.mountPoint() : m.mountPoint().resolve(rel.substring(0, rel.length() - 1)));
    }

    private Home home(Controller c, List<CgroupMount> mounts, V2Place v2) {
        if (v2 instanceof V2Usable u && (c.v2Name() == null || u.enabled().contains(c.v2Name()))) {
            return new Home.V2(u.mount(), u.base());
        }
        Optional<CgroupMount> v1 = mounts.stream().filter(m -> m.hasSubsystem(c.v1Name())).findFirst();
        if (v1.isPresent()) {
            CgroupMount m = v1.get();
            if (!root) {
                return new Home.Missing(c.v1Name() + " is a cgroup v1 hierarchy (" + m.mountPoint()
                        + "), usable only as root" + v2Reason(c, v2), "run as root, or on a cgroup v2 machine: "
                        + SYSTEMD_ROOTLESS_FIX);
            }
            if (m.readOnly() || !writable.test(m.mountPoint())) {
                return new Home.Missing("the cgroup v1 " + c.v1Name() + " hierarchy at " + m.mountPoint() + " is "
                        + (m.readOnly() ? "mounted read-only" : "not writable") + v2Reason(c, v2),
                        "remount it read-write (in a container: give it a writable /sys/fs/cgroup)");
            }
            return new Home.V1(m.mountPoint(), m.mountPoint());
        }
        return switch (v2) {
            case V2Missing missing -> new Home.Missing("no cgroup v1 " + c.v1Name() + " hierarchy, and " + missing.reason(),
                    missing.fix());
            case V2Usable u -> new Home.Missing(c.v2Name() + " is not enabled for the children of " + u.base()
                    + " (its cgroup.subtree_control: " + String.join(" ", u.enabled()).trim() + ")",
                    root ? "`echo +" + c.v2Name() + " > " + u.base().resolve("cgroup.subtree_control") + "` (the cgroup must "
                            + "not hold processes itself: move them into a child first)" : SYSTEMD_ROOTLESS_FIX);
        };
    }

    private static String v2Reason(Controller c, V2Place v2) {
        return v2 instanceof V2Usable ? " (and cgroup v2 does not enable " + c.v2Name() + ")" : "";
    }

    private static String readOrEmpty(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
