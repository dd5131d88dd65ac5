package org.miniisolate;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.miniisolate.box.BoxLocks;
import org.miniisolate.box.BoxState;
import org.miniisolate.box.HostIdOverlap;
import org.miniisolate.cgroup.Cgroups;
import org.miniisolate.launch.Launcher;
import org.miniisolate.launch.LauncherBinary;
import org.miniisolate.launch.UserNamespaces;
import org.miniisolate.seccomp.SeccompSupport;
import org.miniisolate.seccomp.SyscallFilters;
import org.miniisolate.watch.BoxCpuMeter;
import org.miniisolate.watch.Watchdog;

/**
 * Entry point of the library: one per installation and JVM. It finds the launcher once and
 * hands out {@link Box}es by id.
 *
 * <pre>{@code
 * try (Sandbox sandbox = Sandbox.open(SandboxConfig.defaults())) {
 *     Box box = sandbox.box(0);
 *     box.init();
 *     RunResult r = box.run(RunSpec.of("/bin/echo", "hi").build());
 *     box.cleanup();
 * }
 * }</pre>
 *
 * Closing it kills any box still running from it.
 *
 * <p>Opened by a user other than root it works in <em>rootless mode</em>: every box gets a user
 * namespace of its own in which the box uid is the caller's uid outside, the installation lives
 * under the caller's own directories ({@link SandboxConfig#forUnprivilegedCaller}), and what cannot
 * be had without root (a separate uid per box, disk quotas, cgroups outside a delegated v2 subtree)
 * is said once through {@link #onWarning}.
 */
public final class Sandbox implements AutoCloseable {
    private final SandboxConfig config;
    private final Launcher launcher;
    private final Watchdog watchdog = new Watchdog(new BoxCpuMeter());
    // libseccomp is loaded, and each distinct policy compiled, on first need: once per sandbox,
    // and kept in the launcher's private directory for the next process.
    private final SyscallFilters syscallFilters;
    private final Cgroups cgroups;
    private final BoxLocks locks;
    // Read from the account files on first need (init or the caller asking), then kept.
    private volatile Optional<String> boxIdOverlap;
    private final AtomicBoolean boxIdOverlapSaid = new AtomicBoolean();
    private final boolean rootless;
    private final java.util.Set<String> saidOnce = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile Consumer<String> warnings = w -> System.err.println("mini-isolate: warning: " + w);

    private Sandbox(SandboxConfig config, Launcher launcher, boolean rootless) {
        this.config = config;
        this.rootless = rootless;
        this.launcher = launcher;
        this.locks = new BoxLocks(config.lockRoot());
        this.syscallFilters = SyscallFilters.forThisMachine(config.launcherDir());
        // Discovery waits for first use (a run in cgroup mode, init or cleanup reaping a stale box cgroup).
        this.cgroups = Cgroups.of(config.cgroups(), !rootless);
    }

    /**
     * The installation {@code config} describes; for a caller other than root, in rootless mode,
     * with root's default places moved under the caller's own ({@link SandboxConfig#forUnprivilegedCaller}).
     *
     * @throws SandboxException when the launcher cannot be prepared, or, without root, when this
     *                          kernel forbids unprivileged user namespaces (the message names the switch)
     */
    public static Sandbox open(SandboxConfig config) {
        int euid = org.miniisolate.nativeio.Libc.geteuid();
        boolean rootless = euid != 0;
        if (rootless) {
            Optional<String> no = UserNamespaces.unavailable();
            if (no.isPresent()) {
                throw new SandboxException("mini-isolate without root runs boxes in user namespaces (rootless mode), but "
                        + no.get());
            }
            try {
                config = config.forUnprivilegedCaller(System.getenv(), euid, org.miniisolate.nativeio.Libc.getegid());
            } catch (IllegalArgumentException e) {
                throw new SandboxException(e.getMessage(), e);
            }
        }
        try {
            return new Sandbox(config, new Launcher(LauncherBinary.locate(config.launcherDir())), rootless);
        } catch (RuntimeException e) {
            throw new SandboxException("cannot prepare the launcher: " + e.getMessage(), e);
        }
    }

    /**
     * True when the caller is not root: boxes run in user namespaces as the caller's own uid
     * outside, with the limitations {@link #rootlessWarning()} lists.
     */
    public boolean rootless() {
        return rootless;
    }

    /**
     * What rootless mode cannot give, with the fixes: said once per sandbox, at the first init or
     * run, through {@link #onWarning}; empty as root.
     */
    public Optional<String> rootlessWarning() {
        if (!rootless) {
            return Optional.empty();
        }
        int uid = config.ownerUid();
        return Optional.of("rootless mode (running as uid " + uid + ", not root): each box runs in a user namespace of its own"
                + " and is your uid " + uid + " outside it, so a program in a box can do to the files the directory rules bind in"
                + " (and to the box directories) whatever you can, and boxes are not kept apart by a uid of their own."
                + " Still enforced: only the rule directories are visible (mount namespace), no capabilities, no_new_privs,"
                + " the system call filter, its own PID, network, IPC and UTS namespaces, rlimits and time limits."
                + " Not available: a separate host uid per box (fix: run as root; newuidmap with /etc/subuid ranges is not"
                + " supported yet), disk quotas (-q mounts a filesystem on the host: run as root), cgroup limits outside a"
                + " delegated cgroup v2 subtree (fix: run inside one, e.g. `systemd-run --user --scope -p Delegate=yes <command>`)");
    }

    /**
     * Says {@code message} through {@link #onWarning} unless this sandbox already said it.
     */
    void warnOnce(String message) {
        if (saidOnce.add(message)) {
            warnings.accept(message);
        }
    }

    public SandboxConfig config() {
        return config;
    }

    /** Box number {@code id}; nothing is created until {@link Box#init()}. */
    public Box box(int id) {
        if (id < 0 || id >= config.numBoxes()) {
            throw new IllegalArgumentException("Sandbox ID out of range (allowed: 0-" + (config.numBoxes() - 1) + ")");
        }
        return new Box(this, id);
    }

    /**
     * The installation's cgroups: the machine's layout ({@code check}), the directories box
     * cgroups go in ({@code --print-cg-root}) and where warnings about missing controllers go.
     */
    public Cgroups cgroups() {
        return cgroups;
    }

    /**
     * Whether runs get their system call filter on this machine ({@code check} prints
     * {@link SeccompSupport#summary()}). When it is {@link SeccompSupport.Unavailable}, runs go
     * ahead unfiltered unless their policy requires a filter: print its
     * {@link SeccompSupport.Unavailable#warning() warning} once. Compiles the default policy on
     * first call, so a later run does not pay for it again.
     */
    public SeccompSupport seccompSupport() {
        return syscallFilters.support();
    }

    /**
     * Whether host accounts use box ids: a user in {@code /etc/passwd} with a box uid, or a group
     * in {@code /etc/group} with a box gid (first_uid/first_gid + 0 .. num_boxes - 1). Such an
     * account and the box would own each other's files and processes. The message names them
     * and says how to fix it; {@code check} can print it. Box init says it once through
     * {@link #onWarning(Consumer)}.
     */
    public Optional<String> boxIdOverlap() {
        Optional<String> o = boxIdOverlap;
        if (o == null) {
            o = HostIdOverlap.warning(config.firstUid(), config.firstGid(), config.numBoxes());
            boxIdOverlap = o;
        }
        return o;
    }

    /** Where this installation's own warnings go (each said once); by default a "mini-isolate: warning: " line on stderr. */
    public void onWarning(Consumer<String> sink) {
        this.warnings = Objects.requireNonNull(sink);
    }

    /** Says {@link #rootlessWarning()} once per sandbox, if rootless. */
    void warnAboutRootlessOnce() {
        rootlessWarning().ifPresent(this::warnOnce);
    }

    /** Says {@link #boxIdOverlap()} once per sandbox, if there is one (as root: rootless boxes are the caller outside). */
    void warnAboutBoxIdOverlapOnce() {
        if (rootless) {
            return;
        }
        Optional<String> o = boxIdOverlap();
        if (o.isPresent() && boxIdOverlapSaid.compareAndSet(false, true)) {
            warnings.accept(o.get());
        }
    }

    Launcher launcher() {
        return launcher;
    }

    BoxLocks locks() {
        return locks;
    }

    /**
     * The boxes this installation knows, with what each remembers (owner, mode, last run), in id
     * order; read from the per-box state files, so a box whose init crashed shows as not initialized.
     */
    public java.util.SortedMap<Integer, BoxState> knownBoxes() {
        java.util.SortedMap<Integer, BoxState> boxes = new java.util.TreeMap<>();
        for (int id : locks.knownIds()) {
            if (id < config.numBoxes()) {
                BoxState.read(locks.stateFile(id)).ifPresent(st -> boxes.put(id, st));
            }
        }
        return boxes;
    }

    SyscallFilters syscallFilters() {
        return syscallFilters;
    }

    Watchdog watchdog() {
        return watchdog;
    }

    @Override
    public void close() {
        launcher.close();
    }
}
