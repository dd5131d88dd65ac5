package org.miniisolate.cgroup;

import java.nio.file.Path;
import java.util.Set;

/**
 * One cgroup filesystem in the mount table.
 *
 * @param mountPoint  where it is mounted
 * @param root        which cgroup of the hierarchy appears at the mount point ("/" unless the
 *                    mount is a bind of a subtree or seen from a cgroup namespace)
 * @param v2          a cgroup2 (unified) mount rather than a v1 hierarchy
 * @param options     v1: the superblock options, which name the hierarchy's controllers
 * @param readOnly    mounted read-only: nothing can be created in it
 */
public record CgroupMount(Path mountPoint, String root, boolean v2, Set<String> options, boolean readOnly) {
    public CgroupMount {
        options = Set.copyOf(options);
    }

    /** True when this v1 hierarchy carries {@code subsystem}. */
    public boolean hasSubsystem(String subsystem) {
        return !v2 && options.contains(subsystem);
    }
}
