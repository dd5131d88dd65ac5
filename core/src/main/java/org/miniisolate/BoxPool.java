package org.miniisolate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.miniisolate.box.BoxLocks;
import org.miniisolate.fs.RootPlan;
import org.miniisolate.launch.LaunchSpec;
import org.miniisolate.launch.WarmBox;
import org.miniisolate.spec.DirRule;
import org.miniisolate.spec.RunSpec;

/**
 * Warm boxes, ready to run: each box's namespaces, root and mounts are built once, and a run
 * costs one fork+exec inside it. Between leases a box is wiped (its files, its temporary
 * directories, its /dev/shm, its IPC objects, every process), so no run sees or influences the
 * next; a box that misbehaves is discarded and rebuilt, never reused.
 *
 * <pre>{@code
 * try (BoxPool pool = BoxPool.open(sandbox, BoxPool.Template.DEFAULT, List.of(10, 11, 12, 13))) {
 *     try (PooledBox box = pool.lease()) {
 *         Files.writeString(box.workDirectory().resolve("in.txt"), "3 4\n");
 *         RunResult r = box.run(RunSpec.of("./solution").build());
 *     }
 * }
 * }</pre>
 *
 * Runs in different boxes go in parallel; the pool holds each of its boxes' locks while open, so
 * no other manager (CLI, another pool) touches them. A pool made {@linkplain Template#withCgroups
 * for cgroup runs} gives every run fresh cgroups of its own, exactly as {@link Box#run} does.
 */
public final class BoxPool implements AutoCloseable {
    /**
     * What every box of the pool is built with: its directory rules and network, and whether its
     * runs use cgroups (then every run must ask for them, as in a box initialized with --cg).
     */
    public record Template(List<DirRule> dirs, boolean shareNetwork, boolean cgroups) {
        public static final Template DEFAULT = new Template(org.miniisolate.spec.DirRules.defaults(), false, false);

        public Template {
            dirs = List.copyOf(dirs);
        }

        /** A template for plain runs. */
        public Template(List<DirRule> dirs, boolean shareNetwork) {
            this(dirs, shareNetwork, false);
        }

        /** This template for cgroup runs (each with fresh cgroups of its own), or for plain ones. */
        public Template withCgroups(boolean cgroups) {
            return new Template(dirs, shareNetwork, cgroups);
        }
    }

    private final Sandbox sandbox;
    private final Template template;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition returned = lock.newCondition();
    private final Deque<Slot> idle = new ArrayDeque<>();
    private final List<Slot> all = new ArrayList<>();
    private boolean closed;

    /** One box of the pool: its lock, held for the pool's life, and its warm launcher. */
    static final class Slot {
        final Box box;
        final BoxLocks.Held held;
        WarmBox warm;

        Slot(Box box, BoxLocks.Held held) {
            this.box = box;
            this.held = held;
        }
    }

    private BoxPool(Sandbox sandbox, Template template) {
        this.sandbox = sandbox;
        this.template = template;
    }

    /**
     * Initializes boxes {@code ids} (as {@link Box#init()} would: whatever was in them is gone)
     * and starts them warm.
     */
    public static BoxPool open(Sandbox sandbox, Template template, List<Integer> ids) {
        Objects.requireNonNull(template);
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one box id");
        }
        BoxPool pool = new BoxPool(sandbox, template);
        try {
            for (int id : ids) {
                Box box = sandbox.box(id);
                box.init(new InitOptions(template.cgroups(), org.miniisolate.fs.Quota.NONE));
                Slot slot = new Slot(box, box.hold());
                pool.all.add(slot);
                pool.warmUp(slot);
                pool.idle.add(slot);
            }
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    public Template template() {
        return template;
    }

    /** A box for the caller alone until it is closed; waits while every box is leased. */
    public PooledBox lease() {
        lock.lock();
        try {
            while (idle.isEmpty() && !closed) {
                returned.awaitUninterruptibly();
            }
            if (closed) {
                throw new SandboxException("the box pool is closed");
            }
            return new PooledBox(this, idle.poll());
        } finally {
            lock.unlock();
        }
    }

    /** As {@link #lease()}, giving up after {@code timeout}; null then. */
    public PooledBox lease(long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lock();
        try {
            while (idle.isEmpty() && !closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = returned.awaitNanos(nanos);
            }
            if (closed) {
                throw new SandboxException("the box pool is closed");
            }
            return new PooledBox(this, idle.poll());
        } finally {
            lock.unlock();
        }
    }

    /** Builds (or rebuilds) a slot's warm launcher from the template. */
    void warmUp(Slot slot) {
        RootPlan root = RootPlan.of(template.dirs(), slot.box.layout());
        RunSpec shape = RunSpec.of("/").dirs(template.dirs()).shareNetwork(template.shareNetwork()).build();
        LaunchSpec spec = slot.box.plan(shape, root, null, null);
        if (template.cgroups()) {
            spec = spec.withCgroupFiles(cgroupRoots());
        }
        slot.box.handOver(root);
        WarmBox warm = sandbox.launcher().startWarm(spec);
        if (warm == null) {
            throw new SandboxException("Cannot start warm box " + slot.box.id()
                    + ": its launcher failed while building the box (a plain run of the same spec says why)");
        }
        slot.warm = warm;
    }

    /** A box comes back: wiped and ready, or rebuilt from scratch if anything about it is off. */
    void giveBack(Slot slot, boolean clean) {
        boolean usable = clean && !slot.warm.broken();
        if (!usable) {
            try {
                slot.warm.close();
                slot.box.layoutReset();
                warmUp(slot);
                usable = true;
            } catch (RuntimeException e) {
                usable = false;
            }
        }
        lock.lock();
        try {
            if (usable && !closed) {
                idle.add(slot);
            } else {
                all.remove(slot);
                retire(slot);
            }
            returned.signalAll();
        } finally {
            lock.unlock();
        }
    }

    Sandbox sandbox() {
        return sandbox;
    }

    /** Where the runs' cgroups are made: the warm box init opens these before its root hides them. */
    private List<String> cgroupRoots() {
        try {
            return sandbox.cgroups().prepareRoots().stream().map(Object::toString).toList();
        } catch (org.miniisolate.cgroup.CgroupException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    private static void retire(Slot slot) {
        try {
            if (slot.warm != null) {
                slot.warm.close();
            }
        } finally {
            slot.held.close();
        }
    }

    /** Stops every warm box (leased ones as soon as they come back) and releases the boxes. */
    @Override
    public void close() {
        List<Slot> toRetire;
        lock.lock();
        try {
            closed = true;
            toRetire = new ArrayList<>(idle);
            idle.clear();
            all.removeAll(toRetire);
            returned.signalAll();
        } finally {
            lock.unlock();
        }
        RuntimeException first = null;
        for (Slot s : toRetire) {
            try {
                retire(s);
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
