package org.miniisolate.spec;

import java.util.regex.Pattern;

/**
 * Cgroup mode of a run (isolate's {@code --cg}): the box gets its own cgroups for this run, so
 * memory is limited and counted for all its processes together, CPU time counts every thread,
 * and {@link Limits#processes()} becomes an exact limit on the box's tasks (the pids controller)
 * instead of a per-uid rlimit. A run without a {@code CgroupLimits} uses no cgroups at all.
 *
 * <p>Where the machine lacks a controller, the run still happens without that limit and a warning
 * names what is missing, unless {@code strict} asks to refuse instead.
 *
 * @param memoryKib memory limit of the whole box in KiB (isolate's {@code --cg-mem}), page cache
 *                  and kernel memory included, no swap; 0 for none (the peak is still measured)
 * @param cpus      the box's {@code cpuset.cpus}, e.g. "0-1,3"; null keeps every CPU
 * @param mems      the box's {@code cpuset.mems}; null keeps every memory node
 * @param strict    refuse to run (an exception) rather than run without something asked for
 */
public record CgroupLimits(long memoryKib, String cpus, String mems, boolean strict) {
    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");

    /** Cgroup mode with no memory limit, every CPU, degrading with a warning. */
    public static final CgroupLimits DEFAULTS = new CgroupLimits(0, null, null, false);

    public CgroupLimits {
        if (memoryKib < 0 || memoryKib > Long.MAX_VALUE / 1024) {
            throw new IllegalArgumentException("cgroup memory limit must be between 0 and " + Long.MAX_VALUE / 1024
                    + " KiB, not " + memoryKib);
        }
        requireList("cpus", cpus);
        requireList("mems", mems);
    }

    private static void requireList(String what, String list) {
        if (list != null && !CPU_LIST.matcher(list).matches()) {
            throw new IllegalArgumentException("cpuset " + what + " must be a list such as 0-3,6, not '" + list + "'");
        }
    }

    /** isolate's {@code --cg --cg-mem=KB}. */
    public static CgroupLimits memory(long kib) {
        return DEFAULTS.withMemoryKib(kib);
    }

    public boolean hasMemoryLimit() {
        return memoryKib > 0;
    }

    public boolean hasCpuset() {
        return cpus != null || mems != null;
    }

    public CgroupLimits withMemoryKib(long kib) {
        return new CgroupLimits(kib, cpus, mems, strict);
    }

    public CgroupLimits withCpuset(String cpus, String mems) {
        return new CgroupLimits(memoryKib, cpus, mems, strict);
    }

    public CgroupLimits withStrict(boolean strict) {
        return new CgroupLimits(memoryKib, cpus, mems, strict);
    }
}
