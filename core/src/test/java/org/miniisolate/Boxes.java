package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.miniisolate.box.BoxIdentity;
import org.miniisolate.cgroup.Controller;
import org.miniisolate.result.RunResult;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.RunSpec;

/**
 * The boxes of one {@link BoxKind} for one test class ({@link EveryBoxKind}): fresh boxes of a
 * private installation, or boxes leased from one-box pools of it (one pool per box id, so box ids
 * and with them uids and hostnames are the same in both kinds).
 */
public final class Boxes implements AutoCloseable {
    private final BoxKind kind;
    private final TestBoxes installation;
    private final Map<Integer, BoxPool> pools = new LinkedHashMap<>();
    private final Map<Integer, PooledBox> leases = new LinkedHashMap<>();
    private final List<PooledBox> classLeases = new ArrayList<>();
    private final Map<Class<?>, Object> computed = new LinkedHashMap<>();

    private Boxes(BoxKind kind, TestBoxes installation) {
        this.kind = kind;
        this.installation = installation;
    }

    /** Skips the calling test unless it runs as root (see {@link TestBoxes#open()}). */
    static Boxes open(BoxKind kind) {
        return new Boxes(kind, TestBoxes.open(kind.cgroups()));
    }

    public BoxKind kind() {
        return kind;
    }

    public boolean pooled() {
        return kind.pooled();
    }

    public Sandbox sandbox() {
        return installation.sandbox();
    }

    public Path root() {
        return installation.root();
    }

    /**
     * Box {@code id}, empty: a freshly initialized {@link Box}, or a {@link PooledBox} leased for
     * the rest of the test (a lease of the same id taken earlier in the test is returned first, so
     * the box is wiped as a fresh one would be).
     */
    public synchronized ProgramBox box(int id) {
        ProgramBox box;
        if (!pooled()) {
            box = kind.cgroups() ? installation.cgroupBox(id) : installation.box(id);
        } else {
            PooledBox earlier = leases.remove(id);
            if (earlier != null) {
                earlier.close();
            }
            BoxPool.Template template = BoxPool.Template.DEFAULT.withCgroups(kind.cgroups());
            PooledBox leased = pools.computeIfAbsent(id, i -> BoxPool.open(sandbox(), template, List.of(i))).lease();
            leases.put(id, leased);
            box = leased;
        }
        return kind.cgroups() ? new InCgroupMode(box) : box;
    }

    /** A box whose every run uses cgroups: a spec without cgroup limits gets the defaults (isolate's plain --cg). */
    private record InCgroupMode(ProgramBox box) implements ProgramBox {
        @Override
        public int id() {
            return box.id();
        }

        @Override
        public Path workDirectory() {
            return box.workDirectory();
        }

        @Override
        public BoxIdentity identity() {
            return box.identity();
        }

        @Override
        public RunResult run(RunSpec s) {
            return run(s, null);
        }

        @Override
        public RunResult run(RunSpec s, RunControl control) {
            return box.run(s.cgroupMode() ? s : new RunSpec(s.command(), s.limits(), s.io(), s.environment(), s.dirs(),
                    s.chdir(), s.shareNetwork(), s.inheritedFds(), CgroupLimits.DEFAULTS, s.syscalls(), s.keepSpecialFiles()), control);
        }
    }

    /**
     * Fresh box {@code id}, for a test of a fresh box's own lifecycle (init, cleanup) that a
     * pooled box does not have: skipped, saying so, in the pooled kinds.
     */
    public Box freshOnly(int id) {
        assumeFalse(pooled(), "a fresh box's lifecycle (init, cleanup): a pooled box has leases");
        ProgramBox box = box(id);
        return (Box) (box instanceof InCgroupMode c ? c.box() : box);
    }

    /** As {@link #box(int)}, but a pooled box stays leased until the class is done: for a per-class instance's box. */
    public synchronized ProgramBox boxForTheClass(int id) {
        ProgramBox box = box(id);
        PooledBox leased = leases.remove(id);
        if (leased != null) {
            classLeases.add(leased);
        }
        return box;
    }

    /** Skips the calling test unless this machine offers cgroup controller {@code c}. */
    public void require(Controller c) {
        var layout = sandbox().cgroups().layout();
        assumeTrue(layout.usable(c).isPresent(),
                () -> "needs the " + c.label() + " cgroup controller: " + layout.home(c).describe());
    }

    /** Box cgroup directories that exist now, in every hierarchy: none once every run has ended. */
    public List<Path> boxCgroups() {
        return TestBoxes.boxCgroupsOf(sandbox());
    }

    /** What a static {@code @BeforeAll} would compute, computed once for this class and kind. */
    public synchronized <T> T once(Class<T> type, Supplier<T> compute) {
        return type.cast(computed.computeIfAbsent(type, t -> compute.get()));
    }

    /**
     * True when this kind cannot run {@code spec}: a pooled box runs only its pool's template
     * (directory rules and network) and must refuse anything else rather than run it differently.
     * The refusal is asserted here; the caller skips what the run would have shown.
     */
    public boolean refusesOtherTemplate(ProgramBox box, RunSpec.Builder spec) {
        return poolRefuses(box, spec, "pool's template");
    }

    /**
     * True when this kind cannot run {@code spec} and says so: a pooled box refuses, with a
     * message containing {@code why}, what it cannot honour (asserted here). False for fresh boxes.
     */
    public boolean poolRefuses(ProgramBox box, RunSpec.Builder spec, String why) {
        if (!pooled()) {
            return false;
        }
        assertThatThrownBy(() -> box.run(spec.build())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(why);
        return true;
    }

    /** Lets go of box {@code id} (its lease and its pool) so that another process may manage it. */
    public synchronized void release(int id) {
        PooledBox lease = leases.remove(id);
        if (lease != null) {
            lease.close();
        }
        BoxPool pool = pools.remove(id);
        if (pool != null) {
            pool.close();
        }
    }

    /**
     * Done with {@code box}: a fresh box is removed ({@link Box#cleanup()}), a pooled one given
     * back, which wipes it for the next lease. Either way nothing of it is left.
     */
    public synchronized void discard(ProgramBox box) {
        switch (box instanceof InCgroupMode c ? c.box() : box) {
            case Box fresh -> {
                assertThat(fresh.cleanup()).isTrue();
                assertThat(fresh.directory()).doesNotExist();
            }
            case PooledBox leased -> {
                leases.remove(leased.id());
                leased.close();
                assertThat(leased.workDirectory()).isEmptyDirectory();
            }
            default -> throw new IllegalArgumentException("not a box of these tests: " + box);
        }
    }

    /** Gives back every box leased since the last call (after each test). */
    synchronized void returnLeases() {
        List<PooledBox> open = new ArrayList<>(leases.values());
        leases.clear();
        for (PooledBox box : open) {
            box.close();
        }
    }

    @Override
    public synchronized void close() {
        try {
            returnLeases();
            classLeases.forEach(PooledBox::close);
            classLeases.clear();
            for (BoxPool pool : pools.values()) {
                pool.close();
            }
            pools.clear();
        } finally {
            installation.close();
        }
    }
}
