package org.miniisolate.cgroup;

import java.util.OptionalLong;

/**
 * What a box's cgroups counted during one run. The cgroups are fresh for every run, so these are
 * per run (isolate's are sticky across the runs of a box).
 *
 * @param cpuNanos  CPU time of every process and thread that was in the box
 * @param peakBytes highest memory charge (v1: the larger of memory and memory+swap peaks; v2:
 *                  memory.peak, Linux 5.19+); empty when not measured
 * @param oomKills  processes the kernel's OOM killer ended because of the box's memory limit
 */
public record CgroupUsage(OptionalLong cpuNanos, OptionalLong peakBytes, long oomKills) {
    public static final CgroupUsage NONE = new CgroupUsage(OptionalLong.empty(), OptionalLong.empty(), 0);

    public boolean oomKilled() {
        return oomKills > 0;
    }
}
