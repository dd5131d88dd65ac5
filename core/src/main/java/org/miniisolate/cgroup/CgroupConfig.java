package org.miniisolate.cgroup;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Machine-wide cgroup settings of an installation.
 *
 * @param name       the project's own cgroup directory, created under each hierarchy's base
 *                   (box cgroups are {@code <base>/<name>/box-<id>}); one path component
 * @param mountinfo  the mount table to read (tests point it at a fake one)
 * @param selfCgroup this process's cgroup membership file
 */
public record CgroupConfig(String name, Path mountinfo, Path selfCgroup) {
    public static final String DEFAULT_NAME = "mini-isolate";

    public CgroupConfig {
        Objects.requireNonNull(name);
        Objects.requireNonNull(mountinfo);
        Objects.requireNonNull(selfCgroup);
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\0")
                || name.contains("\n")) {
            throw new IllegalArgumentException("cgroup name must be one plain path component, not '" + name + "'");
        }
    }

    /** {@code mini-isolate} under each hierarchy, found from this process's own /proc files. */
    public static CgroupConfig defaults() {
        return new CgroupConfig(DEFAULT_NAME, Path.of("/proc/self/mountinfo"), Path.of("/proc/self/cgroup"));
    }

    public CgroupConfig withName(String name) {
        return new CgroupConfig(name, mountinfo, selfCgroup);
    }
}
