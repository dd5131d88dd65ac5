package org.miniisolate;

import java.util.Optional;
import org.miniisolate.cgroup.BoxCgroup;
import org.miniisolate.cgroup.CgroupException;
import org.miniisolate.cgroup.CgroupUsage;
import org.miniisolate.cgroup.Cgroups;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.RunSpec;
import org.miniisolate.launch.BoxChannel;
import org.miniisolate.spec.Limits;
import org.miniisolate.watch.CpuCounter;
import org.miniisolate.watch.Watchdog;

/**
 * The cgroups of one {@link Box#run} (none in plain mode), with the engine's error rules:
 * failures become {@link SandboxException}s, and a box cgroup that cannot be removed after the
 * run turns its result into an internal error, statistics kept, as isolate does when collecting
 * them fails.
 */
final class CgroupRun implements AutoCloseable, CpuCounter {
    private final BoxCgroup box;

    private CgroupRun(BoxCgroup box) {
        this.box = box;
    }

    /** The run's cgroups, created with its limits; nothing in plain mode. */
    static CgroupRun open(Cgroups cgroups, int boxId, RunSpec spec) {
        if (!spec.cgroupMode()) {
            return new CgroupRun(null);
        }
        try {
            return new CgroupRun(cgroups.open(boxId, spec.cgroups(), spec.limits().processes()));
        } catch (CgroupException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /** The box cgroups, or null in plain mode. */
    BoxCgroup box() {
        return box;
    }

    boolean countsCpu() {
        return box != null && box.countsCpu();
    }

    @Override
    public long cpuNanos(int initPid) {
        try {
            return box.cpuNanos();
        } catch (CgroupException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /**
     * Follows the run to its end: CPU time from the cgroup when it counts it, else from
     * {@code plainCpu} (null: the process tree); kill requests from {@code control} (null for none),
     * which sees the cgroups while the run goes on.
     */
    Watchdog.Outcome watch(Watchdog watchdog, BoxChannel channel, Limits limits, CpuCounter plainCpu, RunControl control) {
        CpuCounter cpu = countsCpu() ? this : plainCpu;
        if (control == null) {
            return watchdog.watch(channel, limits, cpu);
        }
        control.attach(box);
        try {
            return watchdog.watch(channel, limits, cpu, control::killRequested);
        } finally {
            // Before the cgroups are read and removed: the control must not touch them any more.
            control.detach();
        }
    }

    /** What the cgroups counted; read once the program has ended. */
    Optional<CgroupUsage> usage() {
        if (box == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(box.usage());
        } catch (CgroupException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /** Removes the cgroups and returns {@code result}, or an internal error if they cannot be removed. */
    RunResult finish(RunResult result) {
        try {
            close();
            return result;
        } catch (SandboxException e) {
            return new RunResult(Verdict.INTERNAL_ERROR, result.started(), result.exitCode(), result.signal(),
                    result.cpuTime(), result.wallTime(), result.maxRssKib(), result.voluntarySwitches(),
                    result.involuntarySwitches(), result.killed(), e.getMessage(), result.cgroupMemoryKib(),
                    result.oomKilled());
        }
    }

    /** Kills what is left in the cgroups and removes them; idempotent. */
    @Override
    public void close() {
        if (box == null) {
            return;
        }
        try {
            box.close();
        } catch (CgroupException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }
}
