package org.miniisolate.cgroup;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.miniisolate.spec.CgroupLimits;

/**
 * The cgroup side of one sandbox installation: discovers the machine's layout once, on first
 * use, creates and reaps box cgroups under the project's own directory, and says once what it
 * cannot enforce. Thread-safe.
 */
public final class Cgroups {
    private final CgroupConfig config;
    private final CgroupFs fs;
    private final CgroupDiscovery discovery;
    private final boolean root;
    private final Set<CgroupWarning> reported = ConcurrentHashMap.newKeySet();
    private volatile CgroupLayout layout;
    private volatile Consumer<CgroupWarning> sink = printingTo(System.err);

    /**
     * @param fs        the cgroup filesystem (tests fake it)
     * @param discovery how to find the layout; run once, on first use
     */
    public Cgroups(CgroupConfig config, CgroupFs fs, CgroupDiscovery discovery) {
        this(config, fs, discovery, true);
    }

    /**
     * @param root false in rootless mode: a process limit without the pids controller is then
     *             warned about too (it falls back to RLIMIT_NPROC in the box's user namespace)
     */
    public Cgroups(CgroupConfig config, CgroupFs fs, CgroupDiscovery discovery, boolean root) {
        this.root = root;
        this.config = Objects.requireNonNull(config);
        this.fs = Objects.requireNonNull(fs);
        this.discovery = Objects.requireNonNull(discovery);
    }

    /** This process's view of the machine, with {@code config}'s files. */
    public static Cgroups of(CgroupConfig config, boolean root) {
        return new Cgroups(config, CgroupFs.real(), CgroupDiscovery.of(config, root), root);
    }

    /** Prints each warning as one "mini-isolate: warning: ..." line: the default. */
    public static Consumer<CgroupWarning> printingTo(PrintStream out) {
        return w -> out.println("mini-isolate: warning: " + w.message());
    }

    public CgroupConfig config() {
        return config;
    }

    /** Where each controller lives; discovered on the first call. */
    public CgroupLayout layout() {
        CgroupLayout l = layout;
        if (l == null) {
            synchronized (this) {
                l = layout;
                if (l == null) {
                    l = discovery.discover();
                    layout = l;
                }
            }
        }
        return l;
    }

    /** The directories box cgroups go in, v2 first: what {@code --print-cg-root} prints, one per line. */
    public List<Path> roots() {
        return layout().roots(config.name());
    }

    /** Where warnings go (each distinct one once per installation object); by default stderr. */
    public void onWarning(Consumer<CgroupWarning> sink) {
        this.sink = Objects.requireNonNull(sink);
    }

    /**
     * What a run with {@code limits} would lose on this machine. Missing pids is not listed: the
     * per-uid process rlimit still applies. Missing CPU accounting or kill is not listed either:
     * the process-tree meter and the box's PID namespace cover them.
     */
    public List<CgroupWarning> missingFor(CgroupLimits limits) {
        return missingFor(limits, 0);
    }

    /**
     * As {@link #missingFor(CgroupLimits)}, for a run limited to {@code processes} (0: none). In
     * rootless mode a missing pids controller is listed as well: the limit then is RLIMIT_NPROC.
     */
    public List<CgroupWarning> missingFor(CgroupLimits limits, int processes) {
        CgroupLayout l = layout();
        List<CgroupWarning> out = new ArrayList<>();
        if (l.home(Controller.MEMORY) instanceof Home.Missing m) {
            out.add(new CgroupWarning(Controller.MEMORY, limits.hasMemoryLimit()
                    ? "the box memory limit is not enforced (only the per-process address-space rlimit, -m, applies)"
                            + " and its peak memory is not measured"
                    : "the box's peak memory is not measured", m.reason(), m.fix()));
        }
        if (limits.hasCpuset() && l.home(Controller.CPUSET) instanceof Home.Missing m) {
            out.add(new CgroupWarning(Controller.CPUSET, "the box's CPUs and memory nodes are not restricted", m.reason(), m.fix()));
        }
        if (!root && processes > 0 && l.home(Controller.PIDS) instanceof Home.Missing m) {
            out.add(new CgroupWarning(Controller.PIDS, "the box's process limit is not enforced by pids.max; the fallback is"
                    + " RLIMIT_NPROC, counted in the box's own user namespace", m.reason(), m.fix()));
        }
        return out;
    }

    /**
     * Creates box {@code boxId}'s cgroups for one run, reaping any a crashed run left. What the
     * machine lacks is warned about once, or refused when {@code limits.strict()}.
     *
     * @param processes the run's process limit (pids.max); 0 for none
     * @throws CgroupException when strict and something is missing, or when creating fails
     */
    public BoxCgroup open(int boxId, CgroupLimits limits, int processes) {
        List<CgroupWarning> missing = missingFor(limits, processes);
        if (!missing.isEmpty() && limits.strict()) {
            StringBuilder b = new StringBuilder("Refusing to run without cgroup limits (strict mode):");
            for (CgroupWarning w : missing) {
                b.append("\n  ").append(w.message());
            }
            throw new CgroupException(b.toString());
        }
        for (CgroupWarning w : missing) {
            if (reported.add(w)) {
                sink.accept(w);
            }
        }
        return BoxCgroup.create(fs, layout(), config.name(), boxId, limits, processes);
    }

    /**
     * The directories box cgroups are made in ({@link #roots()}), created where missing: a warm
     * box keeps them open to reach its runs' cgroups from inside its own root.
     *
     * @throws CgroupException naming the directory that cannot be made
     */
    public List<Path> prepareRoots() {
        for (Path dir : roots()) {
            try {
                fs.mkdir(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made by an earlier run or pool
            } catch (java.io.IOException e) {
                throw new CgroupException("Cannot create the cgroup directory " + dir + ": " + e.getMessage(), e);
            }
        }
        return roots();
    }

    /** Removes box {@code boxId}'s cgroups if a crashed run left any, killing what is in them. */
    public void reap(int boxId) {
        BoxCgroup.reap(fs, layout(), config.name(), boxId);
    }
}
