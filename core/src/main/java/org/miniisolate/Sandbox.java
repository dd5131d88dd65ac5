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
    private volatile Consumer<String> warnings = w -> System.err.println("mini-isolate: warning: " + w);

    private Sandbox(SandboxConfig config, Launcher launcher) {
        this.config = config;
        this.launcher = launcher;
        this.locks = new BoxLocks(config.lockRoot());
        this.syscallFilters = SyscallFilters.forThisMachine(config.launcherDir());
        // Discovery waits for first use (a run in cgroup mode, init or cleanup reaping a stale box cgroup).
        this.cgroups = Cgroups.of(config.cgroups(), org.miniisolate.nativeio.Libc.geteuid() == 0);
    }

    public static Sandbox open(SandboxConfig config) {
        if (org.miniisolate.nativeio.Libc.geteuid() != 0) {
            throw new SandboxException("mini-isolate must run as root (rootless mode is not available yet)");
        }
        try {
            return new Sandbox(config, new Launcher(LauncherBinary.locate(config.launcherDir())));
        } catch (RuntimeException e) {
            throw new SandboxException("cannot prepare the launcher: " + e.getMessage(), e);
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

    /** Says {@link #boxIdOverlap()} once per sandbox, if there is one. */
    void warnAboutBoxIdOverlapOnce() {
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
