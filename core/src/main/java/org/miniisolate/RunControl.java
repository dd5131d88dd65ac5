package org.miniisolate;

import java.util.OptionalLong;
import org.miniisolate.cgroup.BoxCgroup;
import org.miniisolate.cgroup.CgroupException;

/**
 * A window on one run from other threads, while {@link Box#run(org.miniisolate.spec.RunSpec, RunControl)}
 * blocks in its own: live CPU time and memory of the whole box (cgroup mode), and a kill of
 * everything in it. Thread-safe; one control per run.
 *
 * <pre>{@code
 * RunControl control = new RunControl();
 * Future<RunResult> result = executor.submit(() -> box.run(spec, control));
 * control.memoryBytes();   // while it runs
 * control.kill();          // the result's verdict is INTERRUPTED
 * }</pre>
 */
public final class RunControl {
    private BoxCgroup cgroup;
    private boolean running;
    private boolean used;
    private volatile boolean killRequested;

    /** True while the run's program may be running (between its start and the end of the run). */
    public synchronized boolean isRunning() {
        return running;
    }

    /** CPU time of every thread in the box so far; empty unless the run is in cgroup mode and going on. */
    public synchronized OptionalLong cpuNanos() {
        if (cgroup == null || !cgroup.countsCpu()) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(cgroup.cpuNanos());
        } catch (CgroupException e) {
            return OptionalLong.empty();
        }
    }

    /** Memory charged to the whole box now; empty unless the run is in cgroup mode and going on. */
    public synchronized OptionalLong memoryBytes() {
        return cgroup == null ? OptionalLong.empty() : cgroup.memoryBytes();
    }

    /**
     * Ends the run: every process of the box is killed at once (cgroup.kill, or the freezer) when
     * the run has cgroups, and the watchdog stops the box within 50 ms otherwise. The run's
     * verdict is {@code INTERRUPTED}. Before the run starts, it is stopped as soon as it does;
     * after it ended, nothing happens.
     */
    public synchronized void kill() {
        killRequested = true;
        if (cgroup != null) {
            cgroup.kill();
        }
    }

    /** Whether {@link #kill()} was called. */
    public boolean killRequested() {
        return killRequested;
    }

    /** The run's program is starting in {@code cgroup} (null in plain mode). */
    synchronized void attach(BoxCgroup cgroup) {
        if (used) {
            throw new IllegalStateException("this RunControl already followed a run: use one per run");
        }
        this.used = true;
        this.running = true;
        this.cgroup = cgroup;
        if (killRequested && cgroup != null) {
            cgroup.kill();
        }
    }

    /** The run is over: its cgroups are about to be removed, so nothing may touch them any more. */
    synchronized void detach() {
        running = false;
        cgroup = null;
    }
}
