package org.miniisolate.cgroup;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.spec.CgroupLimits;

/**
 * The cgroups of one run of one box: {@code <base>/<name>/box-<id>} in every hierarchy the run
 * needs (on a hybrid machine several v1 hierarchies plus the v2 tree), created fresh with the
 * run's limits before the program starts, read at the end, then emptied and removed.
 *
 * <p>The program enters them itself (the launcher writes it into every {@link #procsFiles()} as
 * its first step), so the box init's setup work is not counted and every descendant is.
 *
 * <p>Reads are safe from any thread while the run goes on; {@link #close()} is idempotent.
 */
public final class BoxCgroup implements AutoCloseable {
    /** How long removal waits for the kernel to let go of exiting tasks before it gives up. */
    private static final long REMOVE_TIMEOUT_NANOS = 2_000_000_000L;

    /**
     * One directory of this box, in one hierarchy.
     *
     * @param dir    the box cgroup
     * @param v2     in the unified tree
     * @param serves the controllers the box uses from it
     */
    record Node(Path dir, boolean v2, Set<Controller> serves) {
        Node {
            serves = Set.copyOf(serves);
        }

        Path file(String name) {
            return dir.resolve(name);
        }
    }

    private final CgroupFs fs;
    private final List<Node> nodes;
    private final boolean limitsProcesses;
    private volatile boolean closed;

    private BoxCgroup(CgroupFs fs, List<Node> nodes, boolean limitsProcesses) {
        this.fs = fs;
        this.nodes = List.copyOf(nodes);
        this.limitsProcesses = limitsProcesses;
    }

    /**
     * Creates the box's cgroups with the run's limits, after reaping any left by a crashed run of
     * the same box. Controllers the layout lacks are skipped (the caller warns about them).
     *
     * @param processes the run's process limit, enforced by pids.max when that controller exists; 0 for none
     * @throws CgroupException naming the directory or file that failed; nothing is left behind
     */
    public static BoxCgroup create(CgroupFs fs, CgroupLayout layout, String name, int boxId, CgroupLimits limits,
                                   int processes) {
        Set<Controller> wanted = EnumSet.of(Controller.MEMORY, Controller.CPU, Controller.KILL);
        if (processes > 0) {
            wanted.add(Controller.PIDS);
        }
        if (limits.hasCpuset()) {
            wanted.add(Controller.CPUSET);
        }
        // One node per hierarchy: co-mounted v1 controllers (cpu,cpuacct) and all of v2 share one.
        Map<Path, Node> plan = new LinkedHashMap<>();
        for (Controller c : wanted) {
            layout.usable(c).ifPresent(home -> plan.merge(boxDir(home, name, boxId),
                    new Node(boxDir(home, name, boxId), home instanceof Home.V2, Set.of(c)),
                    (a, b) -> new Node(a.dir(), a.v2(), union(a.serves(), b.serves()))));
        }
        // Every hierarchy, not only the ones this run uses: an earlier run may have used others.
        reap(fs, layout, name, boxId);
        List<Node> created = new ArrayList<>();
        try {
            for (Node node : plan.values()) {
                prepareParent(fs, node);
                fs.mkdir(node.dir());
                created.add(node);
                applyLimits(fs, node, limits, processes);
            }
        } catch (IOException | RuntimeException e) {
            try {
                new BoxCgroup(fs, created, false).close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e instanceof CgroupException ce ? ce
                    : new CgroupException("Cannot set up the cgroups of box " + boxId + ": " + describe(e), e);
        }
        boolean pids = processes > 0 && created.stream().anyMatch(n -> n.serves().contains(Controller.PIDS));
        return new BoxCgroup(fs, created, pids);
    }

    /** Removes box {@code boxId}'s cgroups if a crashed run left them; kills what is still in them first. */
    public static void reap(CgroupFs fs, CgroupLayout layout, String name, int boxId) {
        Map<Path, Node> found = new LinkedHashMap<>();
        for (Controller c : Controller.values()) {
            layout.usable(c).ifPresent(home -> {
                Path dir = boxDir(home, name, boxId);
                if (fs.exists(dir)) {
                    found.merge(dir, new Node(dir, home instanceof Home.V2, Set.of(c)),
                            (a, b) -> new Node(a.dir(), a.v2(), union(a.serves(), b.serves())));
                }
            });
        }
        new BoxCgroup(fs, List.copyOf(found.values()), false).remove("a crashed run");
    }

    private static Path boxDir(Home.Usable home, String name, int boxId) {
        return home.base().resolve(name).resolve("box-" + boxId);
    }

    private static Set<Controller> union(Set<Controller> a, Set<Controller> b) {
        Set<Controller> s = EnumSet.noneOf(Controller.class);
        s.addAll(a);
        s.addAll(b);
        return s;
    }

    /** The project's directory exists, and hands what the box needs down to its children. */
    private static void prepareParent(CgroupFs fs, Node node) throws IOException {
        Path parent = node.dir().getParent();
        // Usually there already: checked first, as an exception per hierarchy per run costs more than the look.
        if (!fs.exists(parent)) {
            try {
                fs.mkdir(parent);
            } catch (FileAlreadyExistsException e) {
                // made meanwhile by a concurrent run of another box
            }
        }
        if (node.v2()) {
            // Our own directory holds no processes, so it may enable controllers for its children.
            String enabled = " " + fs.read(parent.resolve("cgroup.subtree_control")).trim() + " ";
            for (Controller c : node.serves()) {
                if (c.v2Name() != null && !enabled.contains(" " + c.v2Name() + " ")) {
                    fs.write(parent.resolve("cgroup.subtree_control"), "+" + c.v2Name());
                }
            }
        } else if (node.serves().contains(Controller.CPUSET)) {
            // A new v1 cpuset starts with no CPUs and no memory nodes, and nothing can join it like that.
            inherit(fs, parent, "cpuset.cpus");
            inherit(fs, parent, "cpuset.mems");
        }
    }

    private static void inherit(CgroupFs fs, Path dir, String file) throws IOException {
        if (fs.read(dir.resolve(file)).isBlank()) {
            fs.write(dir.resolve(file), fs.read(dir.getParent().resolve(file)).trim());
        }
    }

    private static void applyLimits(CgroupFs fs, Node node, CgroupLimits limits, int processes) throws IOException {
        Set<Controller> s = node.serves();
        if (s.contains(Controller.MEMORY) && limits.hasMemoryLimit()) {
            long bytes = limits.memoryKib() * 1024;
            if (node.v2()) {
                fs.write(node.file("memory.max"), Long.toString(bytes));
                if (fs.exists(node.file("memory.swap.max"))) {
                    fs.write(node.file("memory.swap.max"), "0");
                }
            } else {
                writeV1MemoryLimit(fs, node, bytes);
            }
        }
        if (s.contains(Controller.PIDS) && processes > 0) {
            fs.write(node.file("pids.max"), Integer.toString(processes));
        }
        if (s.contains(Controller.CPUSET)) {
            if (node.v2()) {
                writeIfGiven(fs, node.file("cpuset.cpus"), limits.cpus());
                writeIfGiven(fs, node.file("cpuset.mems"), limits.mems());
            } else {
                fs.write(node.file("cpuset.cpus"), limits.cpus() != null ? limits.cpus()
                        : fs.read(node.dir().getParent().resolve("cpuset.cpus")).trim());
                fs.write(node.file("cpuset.mems"), limits.mems() != null ? limits.mems()
                        : fs.read(node.dir().getParent().resolve("cpuset.mems")).trim());
            }
        }
    }

    /**
     * v1 keeps memory+swap at or above memory: whichever limit moves toward the other must be
     * written second (ioi/isolate#109, #123). A fresh group has both unlimited, so normally the
     * memory limit goes first; the general rule costs one read.
     */
    private static void writeV1MemoryLimit(CgroupFs fs, Node node, long bytes) throws IOException {
        Path memsw = node.file("memory.memsw.limit_in_bytes");
        if (!fs.exists(memsw)) {
            fs.write(node.file("memory.limit_in_bytes"), Long.toString(bytes));
            return;
        }
        if (bytes > Long.parseLong(fs.read(memsw).trim())) {
            fs.write(memsw, Long.toString(bytes));
            fs.write(node.file("memory.limit_in_bytes"), Long.toString(bytes));
        } else {
            fs.write(node.file("memory.limit_in_bytes"), Long.toString(bytes));
            fs.write(memsw, Long.toString(bytes));
        }
    }

    private static void writeIfGiven(CgroupFs fs, Path file, String value) throws IOException {
        if (value != null) {
            fs.write(file, value);
        }
    }

    /**
     * The files the program enters through: each hierarchy's {@code cgroup.procs} (the launcher
     * uses v1 {@code tasks} or clones into the v2 directory instead where it can).
     */
    public List<String> procsFiles() {
        return nodes.stream().map(n -> n.file("cgroup.procs").toString()).toList();
    }

    /** The box cgroup directories, one per hierarchy. */
    public List<Path> directories() {
        return nodes.stream().map(Node::dir).toList();
    }

    /** True when {@code pids.max} holds the run's process limit, so the per-uid rlimit is not needed. */
    public boolean limitsProcesses() {
        return limitsProcesses;
    }

    /** True when the box's CPU time comes from a cgroup counter. */
    public boolean countsCpu() {
        return node(Controller.CPU) != null;
    }

    /** True when the box's memory is limited and measured by a cgroup. */
    public boolean countsMemory() {
        return node(Controller.MEMORY) != null;
    }

    /**
     * CPU time used so far by everything in the box, in nanoseconds: v1 {@code cpuacct.usage},
     * v2 {@code usage_usec} of {@code cpu.stat}. 0 when not counted.
     */
    public long cpuNanos() {
        Node n = node(Controller.CPU);
        if (n == null) {
            return 0;
        }
        try {
            return n.v2() ? Math.multiplyExact(keyed(fs.read(n.file("cpu.stat")), "usage_usec").orElse(0), 1000L)
                    : Long.parseLong(fs.read(n.file("cpuacct.usage")).trim());
        } catch (IOException | NumberFormatException e) {
            throw new CgroupException("Cannot read the CPU time of " + n.dir() + ": " + describe(e), e);
        }
    }

    /** Memory charged to the box right now (v1 {@code memory.usage_in_bytes}, v2 {@code memory.current}). */
    public OptionalLong memoryBytes() {
        Node n = node(Controller.MEMORY);
        if (n == null || closed) {
            return OptionalLong.empty();
        }
        return readLong(n.file(n.v2() ? "memory.current" : "memory.usage_in_bytes"));
    }

    /** The run's totals; read after the program ended and before {@link #close()}. */
    public CgroupUsage usage() {
        OptionalLong cpu = countsCpu() ? OptionalLong.of(cpuNanos()) : OptionalLong.empty();
        Node m = node(Controller.MEMORY);
        if (m == null) {
            return new CgroupUsage(cpu, OptionalLong.empty(), 0);
        }
        OptionalLong peak;
        long oom;
        if (m.v2()) {
            peak = readLong(m.file("memory.peak"));
            oom = readKeyed(m.file("memory.events"), "oom_kill");
        } else {
            // isolate's cg-mem: the larger of the memory and memory+swap peaks.
            OptionalLong mem = readLong(m.file("memory.max_usage_in_bytes"));
            OptionalLong memsw = readLong(m.file("memory.memsw.max_usage_in_bytes"));
            peak = mem.isPresent() && memsw.isPresent() ? OptionalLong.of(Math.max(mem.getAsLong(), memsw.getAsLong())) : mem;
            oom = readKeyed(m.file("memory.oom_control"), "oom_kill");
        }
        return new CgroupUsage(cpu, peak, oom);
    }

    /**
     * Kills everything in the box at once: v2 {@code cgroup.kill}; v1 freeze, SIGKILL each task,
     * thaw, so that nothing can fork or exit-and-be-replaced between reading the list and killing.
     */
    public void kill() {
        if (closed) {
            return;
        }
        Node k = node(Controller.KILL);
        for (Node n : k != null ? List.of(k) : nodes) {
            try {
                killAll(n);
            } catch (IOException e) {
                throw new CgroupException("Cannot kill the processes of " + n.dir() + ": " + describe(e), e);
            }
        }
    }

    private void killAll(Node n) throws IOException {
        if (n.v2() && fs.exists(n.file("cgroup.kill"))) {
            fs.write(n.file("cgroup.kill"), "1");
            return;
        }
        String freezeFile = n.v2() ? "cgroup.freeze" : n.serves().contains(Controller.KILL) ? "freezer.state" : null;
        boolean frozen = false;
        if (freezeFile != null && fs.exists(n.file(freezeFile))) {
            fs.write(n.file(freezeFile), n.v2() ? "1" : "FROZEN");
            frozen = true;
        }
        try {
            for (int pid : pids(n)) {
                Libc.kill(pid, Libc.SIGKILL);
            }
        } finally {
            if (frozen) {
                // SIGKILL is delivered to frozen tasks once they thaw.
                fs.write(n.file(freezeFile), n.v2() ? "0" : "THAWED");
            }
        }
    }

    private List<Integer> pids(Node n) throws IOException {
        List<Integer> out = new ArrayList<>();
        for (String line : fs.read(n.file("cgroup.procs")).split("\n")) {
            if (!line.isBlank()) {
                out.add(Integer.parseInt(line.trim()));
            }
        }
        return out;
    }

    /**
     * Empties and removes the box's cgroups. Normally the box is already empty (its PID namespace
     * ended with its init), so this is one rmdir per hierarchy; anything still inside is killed,
     * and removal is retried briefly while the kernel finishes with exiting tasks.
     *
     * @throws CgroupException when a cgroup cannot be removed: processes survived, or it has children
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        remove("this run");
    }

    private void remove(String whose) {
        CgroupException failure = null;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                removeNode(nodes.get(i), whose);
            } catch (CgroupException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void removeNode(Node n, String whose) {
        long deadline = System.nanoTime() + REMOVE_TIMEOUT_NANOS;
        boolean killed = false;
        long pause = 1;
        while (true) {
            try {
                fs.rmdir(n.dir());
                return;
            } catch (NoSuchFileException e) {
                return;
            } catch (IOException e) {
                List<Integer> left = List.of();
                try {
                    left = pids(n);
                    if (!left.isEmpty() && !killed) {
                        killAll(n);
                        killed = true;
                    }
                } catch (IOException | RuntimeException ignored) {
                    // the rmdir failure below says what matters
                }
                if (System.nanoTime() > deadline) {
                    throw new CgroupException("Cannot remove the cgroup " + n.dir() + " of " + whose + ": " + describe(e)
                            + (left.isEmpty() ? "" : "; processes still in it: " + left), e);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException ie) {
                    // Finish the cleanup anyway, and keep the interrupt for the caller.
                    Thread.currentThread().interrupt();
                    deadline = Math.min(deadline, System.nanoTime() + REMOVE_TIMEOUT_NANOS / 10);
                }
                pause = Math.min(pause * 2, 50);
            }
        }
    }

    private Node node(Controller c) {
        for (Node n : nodes) {
            if (n.serves().contains(c)) {
                return n;
            }
        }
        return null;
    }

    private OptionalLong readLong(Path file) {
        try {
            String s = fs.read(file).trim();
            return s.equals("max") ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private long readKeyed(Path file, String key) {
        try {
            return keyed(fs.read(file), key).orElse(0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** The value of {@code key} in a flat-keyed cgroup file ("key value" per line). */
    static OptionalLong keyed(String text, String key) {
        for (String line : text.split("\n")) {
            int space = line.indexOf(' ');
            if (space > 0 && line.substring(0, space).equals(key)) {
                try {
                    return OptionalLong.of(Long.parseLong(line.substring(space + 1).trim()));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    private static String describe(Exception e) {
        if (e instanceof java.nio.file.FileSystemException f) {
            return (f.getFile() != null ? f.getFile() + ": " : "") + (f.getReason() != null ? f.getReason() : e.getClass().getSimpleName());
        }
        return e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
