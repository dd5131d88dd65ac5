package org.miniisolate.cgroup;

/**
 * What the sandbox needs from cgroups, one entry per job. Each is found on its own, because on a
 * hybrid machine they live in different places: a v1 hierarchy, or the v2 unified tree.
 */
public enum Controller {
    /** Memory limit, peak and OOM kills: v1 {@code memory}, v2 {@code memory}. */
    MEMORY("memory", "memory"),
    /** Exact task count limit of the whole box: v1 {@code pids}, v2 {@code pids}. */
    PIDS("pids", "pids"),
    /** CPU time of every thread of the box: v1 {@code cpuacct}; v2 {@code cpu.stat}, a core file of every cgroup. */
    CPU("cpuacct", null),
    /** CPUs and memory nodes of a box: v1 {@code cpuset}, v2 {@code cpuset}. */
    CPUSET("cpuset", "cpuset"),
    /** Killing everything at once: v1 {@code freezer} (freeze, kill, thaw); v2 {@code cgroup.kill}, a core file. */
    KILL("freezer", null);

    private final String v1Name;
    private final String v2Name;

    Controller(String v1Name, String v2Name) {
        this.v1Name = v1Name;
        this.v2Name = v2Name;
    }

    /** The v1 subsystem that provides it, as it appears in mount options and /proc/self/cgroup. */
    public String v1Name() {
        return v1Name;
    }

    /** The v2 controller to enable in {@code cgroup.subtree_control}; null when v2 offers it in every cgroup. */
    public String v2Name() {
        return v2Name;
    }

    /** Lower-case name for messages. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
