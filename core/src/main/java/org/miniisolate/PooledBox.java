package org.miniisolate;

import java.nio.file.Path;
import org.miniisolate.box.BoxIdentity;
import org.miniisolate.fs.RootPlan;
import org.miniisolate.launch.LaunchSpec;
import org.miniisolate.launch.WarmBox;
import org.miniisolate.result.ResultAssembler;
import org.miniisolate.result.RunResult;
import org.miniisolate.spec.RunSpec;
import org.miniisolate.watch.BoxCpuMeter;
import org.miniisolate.watch.CpuCounter;
import org.miniisolate.watch.Watchdog;

/**
 * A warm box leased from a {@link BoxPool}: put files in {@link #workDirectory()}, run, read
 * results, close. Closing wipes it and gives it back. Not for use by two threads at once.
 */
public final class PooledBox implements ProgramBox, AutoCloseable {
    private final BoxPool pool;
    private final BoxPool.Slot slot;
    private final BoxCpuMeter meter = new BoxCpuMeter();
    private boolean clean = true;
    private boolean closed;

    PooledBox(BoxPool pool, BoxPool.Slot slot) {
        this.pool = pool;
        this.slot = slot;
    }

    @Override
    public int id() {
        return slot.box.id();
    }

    @Override
    public BoxIdentity identity() {
        return slot.box.identity();
    }

    @Override
    public Path workDirectory() {
        return slot.box.workDirectory();
    }

    /**
     * Runs one program, exactly as {@link Box#run(RunSpec)} would (same verdicts, limits and
     * accounting), in the warm box. The spec's directory rules, network and cgroup mode must be
     * the pool's template's, and it may not pass descriptors: what a warm box cannot honour is
     * refused with an {@link IllegalArgumentException}, never run differently.
     */
    @Override
    public RunResult run(RunSpec spec) {
        return run(spec, null);
    }

    /**
     * As {@link #run(RunSpec)}, with {@code control} (null for none) giving other threads the
     * box's live CPU time and memory (cgroup runs) and a way to kill everything in it, as
     * {@link Box#run(RunSpec, RunControl)} does.
     */
    @Override
    public RunResult run(RunSpec spec, RunControl control) {
        if (closed) {
            throw new IllegalStateException("this leased box was returned");
        }
        refuseWhatTheBoxCannotHonour(spec);
        WarmBox warm = slot.warm;
        if (warm.broken()) {
            throw new SandboxException("box " + id() + " broke in an earlier run; close it and lease another");
        }
        Box box = slot.box;
        byte[] bpf = box.syscallFilter(spec);
        RootPlan root = RootPlan.of(spec.dirs(), box.layout());
        // Fresh cgroups for this run (none in plain mode), created first and removed last, as for a fresh box.
        try (CgroupRun cgroup = CgroupRun.open(pool.sandbox().cgroups(), id(), spec)) {
            LaunchSpec launch = box.plan(spec, root, cgroup.box(), bpf);
            box.handOver(root);
            RunResult result;
            try {
                Watchdog.Outcome outcome = cgroup.watch(pool.sandbox().watchdog(), warm.start(launch), spec.limits(),
                        cgroup.countsCpu() ? null : plainCpu(warm), control);
                result = ResultAssembler.assemble(launch, spec.limits(), outcome.report(), outcome.killed(), cgroup.usage());
            } catch (RuntimeException e) {
                clean = false;
                throw e;
            } finally {
                box.handBack(spec.keepSpecialFiles());
            }
            if (warm.broken()) {
                clean = false;
            }
            return cgroup.finish(result);
        }
    }

    private void refuseWhatTheBoxCannotHonour(RunSpec spec) {
        BoxPool.Template t = pool.template();
        if (!spec.dirs().equals(t.dirs()) || spec.shareNetwork() != t.shareNetwork()) {
            throw new IllegalArgumentException("a pooled run must use the pool's template (its directory rules and network)");
        }
        if (!spec.inheritedFds().isEmpty()) {
            throw new IllegalArgumentException("a pooled run cannot inherit descriptors (its launcher started when the pool"
                    + " opened, before they existed); use Box.run to pass " + spec.inheritedFds());
        }
        if (spec.cgroupMode() != t.cgroups()) {
            throw new IllegalArgumentException(t.cgroups()
                    ? "this pool's boxes were built for cgroup runs: give the run cgroup limits (RunSpec.cgroups)"
                    : "this pool's boxes were built for plain runs: open the pool with Template.withCgroups(true) for cgroup runs");
        }
    }

    /** CPU time without a cgroup counter: the process tree from the warm init, less what earlier runs left in it. */
    private CpuCounter plainCpu(WarmBox warm) {
        // Everything earlier runs left is reaped into the init's counters: this run starts from there.
        long baseline = meter.cpuNanos(warm.initPid());
        return pid -> meter.cpuNanos(pid) - baseline;
    }

    /** Wipes the box and gives it back to the pool (rebuilt first if it broke). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        boolean ok = clean;
        try {
            slot.box.layoutReset();
        } catch (RuntimeException e) {
            ok = false;
        }
        pool.giveBack(slot, ok);
    }
}
