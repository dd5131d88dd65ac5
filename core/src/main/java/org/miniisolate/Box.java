package org.miniisolate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.miniisolate.box.BoxBusyException;
import org.miniisolate.box.BoxIdentity;
import org.miniisolate.box.BoxLayout;
import org.miniisolate.box.BoxLocks;
import org.miniisolate.box.BoxState;
import org.miniisolate.fs.QuotaFilesystem;
import org.miniisolate.fs.RootPlan;
import org.miniisolate.fs.TreeWalker;
import org.miniisolate.launch.LaunchSpec;
import org.miniisolate.launch.RlimitCeiling;
import org.miniisolate.launch.RunningBox;
import org.miniisolate.result.ResultAssembler;
import org.miniisolate.result.RunResult;
import org.miniisolate.seccomp.FilterUnavailableException;
import org.miniisolate.spec.RunSpec;
import org.miniisolate.watch.Watchdog;

/**
 * One box: a directory the caller fills between runs, and the identity its programs run as.
 * Between runs {@code box/} belongs to the owner; during a run, to the box user.
 */
public final class Box implements ProgramBox {
    private final Sandbox sandbox;
    private final int id;
    private final BoxLayout layout;
    private final BoxIdentity identity;
    // Who the box's files belong to on the host during a run: the box uid as root; rootless, the
    // caller, whose uid the box uid maps to (its files are never handed to anyone else).
    private final BoxIdentity hostIdentity;
    private final boolean waitForLock;

    Box(Sandbox sandbox, int id) {
        this(sandbox, id, false);
    }

    private Box(Sandbox sandbox, int id, boolean waitForLock) {
        this.sandbox = sandbox;
        this.id = id;
        this.layout = BoxLayout.of(sandbox.config().boxRoot(), id);
        this.identity = new BoxIdentity(sandbox.config().firstUid() + id, sandbox.config().firstGid() + id);
        this.hostIdentity = sandbox.rootless() ? new BoxIdentity(sandbox.config().ownerUid(), sandbox.config().ownerGid()) : identity;
        this.waitForLock = waitForLock;
    }

    /**
     * This box, but its operations wait while another process or thread manages it (isolate's
     * --wait) instead of failing at once with "currently in use".
     */
    public Box waitingForLock() {
        return new Box(sandbox, id, true);
    }

    public int id() {
        return id;
    }

    /** The box directory, as {@code --init} prints it. */
    public Path directory() {
        return layout.directory();
    }

    /** The program's /box: put its files here. */
    public Path workDirectory() {
        return layout.box();
    }

    public BoxIdentity identity() {
        return identity;
    }

    /** True when the box was initialized completely and still exists. */
    public boolean isInitialized() {
        return state().map(BoxState::initialized).orElse(false) && Files.isDirectory(layout.box(), LinkOption.NOFOLLOW_LINKS);
    }

    /** What the box remembers (owner, cgroup mode, quota, last run); empty for a box never initialized. */
    public Optional<BoxState> state() {
        try {
            return BoxState.read(sandbox.locks().stateFile(id));
        } catch (RuntimeException e) {
            throw new SandboxException(e.getMessage(), e);
        }
    }

    /** Creates the box for plain runs, or resets it to empty if it exists; returns its directory. */
    public Path init() {
        return init(InitOptions.PLAIN);
    }

    /**
     * Creates the box, or resets it to empty if it exists (whatever its mode was); returns its
     * directory. With a quota, the box directory becomes its own size-limited filesystem.
     */
    public Path init(InitOptions options) {
        SandboxConfig c = sandbox.config();
        if (c.restrictedInit() && c.ownerUid() != 0) {
            throw new SandboxException("New sandboxes can be created only by root (restricted_init is set)");
        }
        sandbox.warnAboutBoxIdOverlapOnce();
        sandbox.warnAboutRootlessOnce();
        boolean quota = options.quota().enabled() && quotaPossible(options);
        try (BoxLocks.Held lock = lock()) {
            BoxState fresh = new BoxState(c.ownerUid(), c.ownerGid(), options.cgroups(), quota
                    ? options.quota().toString() : "", false, Instant.now(), "");
            fresh.write(sandbox.locks().stateFile(id));
            // Rootless, the box root is the caller's own and private: nobody else needs to pass through it.
            ensureOwnedDirectory(c.boxRoot(), sandbox.rootless() ? c.ownerUid() : 0, sandbox.rootless() ? "rwx------" : "rwxr-xr-x");
            removeDirectory();
            Files.createDirectory(layout.directory(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            if (quota) {
                QuotaFilesystem.mount(layout.directory(), options.quota());
            }
            Files.createDirectory(layout.rootMountPoint(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(layout.tmp(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(layout.box(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(layout.box(), "unix:uid", c.ownerUid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(layout.box(), "unix:gid", c.ownerGid(), LinkOption.NOFOLLOW_LINKS);
            // A crashed run may have left this box's cgroups behind (isolate --init recreates them too).
            sandbox.cgroups().reap(id);
            fresh.withInitialized(true).write(sandbox.locks().stateFile(id));
        } catch (SandboxException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("Cannot initialize box " + id + " in " + layout.directory() + ": " + e.getMessage(), e);
        }
        return layout.directory();
    }

    /**
     * Whether the quota {@code options} ask for can be had: not without root (mounting the box's
     * filesystem on the host needs it). Then the box is made without one, said once, or refused
     * when {@code options.strict()}.
     */
    private boolean quotaPossible(InitOptions options) {
        if (!sandbox.rootless()) {
            return true;
        }
        String missing = "disk quota (-q " + options.quota() + ") not enforced: rootless mode cannot mount the box's own"
                + " size-limited filesystem on the host; only the per-file size limit (-f) applies. Fix: run as root";
        if (options.strict()) {
            throw new SandboxException("Refusing to initialize box " + id + " without its quota (strict mode): " + missing);
        }
        sandbox.warnOnce(missing);
        return false;
    }

    /** The box's lock, taken for a whole operation. */
    private BoxLocks.Held lock() {
        try {
            return sandbox.locks().acquire(id, waitForLock);
        } catch (BoxBusyException e) {
            throw new SandboxException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new SandboxException("Cannot lock box " + id + ": " + e.getMessage(), e);
        }
    }

    /** The box's files, quota filesystem included; nothing outside the box directory is touched. */
    private void removeDirectory() {
        QuotaFilesystem.unmountIfPresent(layout.directory());
        TreeWalker.deleteTree(layout.directory());
    }

    /**
     * A run may use this box only as it was initialized, and only for its owner (root may use any
     * box). Returns the state read, which stays valid while the caller holds the lock.
     */
    private BoxState checkUsableFor(RunSpec spec) {
        BoxState st = state().filter(s -> Files.isDirectory(layout.box(), LinkOption.NOFOLLOW_LINKS))
                .orElseThrow(() -> new SandboxException("Box not found, did you run `mini-isolate"
                        + (spec.cgroupMode() ? " --cg" : "") + " --init'?"));
        if (!st.initialized()) {
            throw new SandboxException("This box was not initialized properly; run --init again");
        }
        SandboxConfig c = sandbox.config();
        if (c.ownerUid() != 0 && st.ownerUid() != c.ownerUid()) {
            throw new SandboxException("This box belongs to a different user (uid " + st.ownerUid() + ")");
        }
        if (st.cgroups() != spec.cgroupMode()) {
            throw new SandboxException("This box was initialized with an incompatible control group mode (it was "
                    + (st.cgroups() ? "" : "not ") + "initialized with --cg)");
        }
        return st;
    }

    /**
     * Runs one program and waits for it. The verdict says how it ended; a failure of the
     * sandbox itself is an {@code INTERNAL_ERROR} result, not an exception, once the run started.
     *
     * @throws SandboxException when the box is not initialized or cannot be prepared
     */
    public RunResult run(RunSpec spec) {
        return run(spec, null);
    }

    /**
     * As {@link #run(RunSpec)}, with {@code control} (null for none) giving other threads the
     * box's live CPU time and memory and a way to kill everything in it.
     */
    public RunResult run(RunSpec spec, RunControl control) {
        sandbox.warnAboutRootlessOnce();
        try (BoxLocks.Held lock = lock()) {
            BoxState st = checkUsableFor(spec);
            RunResult result = runLocked(spec, control);
            recordLastRun(st, result);
            return result;
        }
    }

    /** The state was read under the lock this run still holds: written back without reading it again. */
    private void recordLastRun(BoxState st, RunResult r) {
        String summary = (r.verdict().name() + " cpu=" + r.cpuTime().toMillis() + "ms wall=" + r.wallTime().toMillis() + "ms at "
                + BoxState.iso(Instant.now().truncatedTo(ChronoUnit.SECONDS)));
        st.withLastRun(summary).write(sandbox.locks().stateFile(id));
    }

    private RunResult runLocked(RunSpec spec, RunControl control) {
        RootPlan root = RootPlan.of(spec.dirs(), layout);
        byte[] seccompBpf = syscallFilter(spec);
        // Created first and removed last, whatever happens in between (CgroupRun.close).
        try (CgroupRun cgroup = CgroupRun.open(sandbox.cgroups(), id, spec)) {
            LaunchSpec launch = plan(spec, root, cgroup.box(), seccompBpf);
            if (sandbox.rootless()) {
                RlimitCeiling.capped(launch.rlimits()).forEach(sandbox::warnOnce);
            }
            handOver(root);
            RunResult result;
            try (RunningBox running = sandbox.launcher().start(launch)) {
                Watchdog.Outcome outcome = cgroup.watch(sandbox.watchdog(), running, spec.limits(), null, control);
                result = ResultAssembler.assemble(launch, spec.limits(), outcome.report(), outcome.killed(), cgroup.usage());
            } finally {
                handBack(spec.keepSpecialFiles());
            }
            return cgroup.finish(result);
        }
    }

    /** Everything the launcher will do for {@code spec} in this box. */
    LaunchSpec plan(RunSpec spec, RootPlan root, org.miniisolate.cgroup.BoxCgroup cgroup, byte[] seccompBpf) {
        SandboxConfig c = sandbox.config();
        return RunPlanner.plan(spec, id, layout, identity, root, cgroup, seccompBpf, new LaunchSpec.Identity(c.ownerUid(), c.ownerGid()),
                sandbox.rootless());
    }

    /** Before a run: the box's files and temporary directories go to the box user. */
    void handOver(RootPlan root) {
        try {
            root.prepareHostSide(hostIdentity);
            // A non-root owner hands over only what it owns: never a file it merely placed a link to.
            // (Rootless, the owner and the box are one uid on the host: nothing changes hands.)
            int owner = sandbox.config().ownerUid();
            if (!sandbox.rootless()) {
                TreeWalker.chownTree(layout.box(), owner == 0 ? -1 : owner, identity.uid(), identity.gid(), false);
            }
            root.requireNoSymlinksInBoxSources(layout.directory());
        } catch (RuntimeException e) {
            throw new SandboxException("Cannot prepare box " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * Back to an empty box without giving up the lock its holder has (a pool's): box/ and the
     * temporary directories emptied, box/ handed back to the owner.
     */
    void layoutReset() {
        try {
            TreeWalker.deleteContents(layout.box());
            if (Files.isDirectory(layout.tmp(), LinkOption.NOFOLLOW_LINKS)) {
                try (var tmps = Files.newDirectoryStream(layout.tmp())) {
                    for (Path t : tmps) {
                        TreeWalker.deleteContents(t);
                    }
                }
            }
            SandboxConfig c = sandbox.config();
            TreeWalker.chownTree(layout.box(), -1, c.ownerUid(), c.ownerGid(), false);
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("Cannot reset box " + id + ": " + e.getMessage(), e);
        }
    }

    /** Takes the box's lock until the returned handle is closed (a pool holds its boxes so). */
    BoxLocks.Held hold() {
        return lock();
    }

    BoxLayout layout() {
        return layout;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    /**
     * The run's compiled system call filter; null when its policy has none, or when libseccomp is
     * missing and the policy does not require a filter ({@link Sandbox#seccompSupport()} says so).
     */
    byte[] syscallFilter(RunSpec spec) {
        try {
            return sandbox.syscallFilters().bpfFor(spec.syscalls());
        } catch (FilterUnavailableException | IllegalArgumentException e) {
            throw new SandboxException("Cannot build the system call filter: " + e.getMessage(), e);
        }
    }

    /**
     * Gives box/ back to its owner; unless asked to keep them, deletes the special files
     * (symlinks, FIFOs, sockets, devices) a program may have planted there for its owner to trip on.
     */
    void handBack(boolean keepSpecialFiles) {
        SandboxConfig c = sandbox.config();
        TreeWalker.chownTree(layout.box(), hostIdentity.uid(), c.ownerUid(), c.ownerGid(), !keepSpecialFiles);
    }

    /**
     * Removes the box and everything in it (its quota filesystem, its cgroups, its state); fine if
     * it does not exist. Returns false when there was nothing to remove.
     */
    public boolean cleanup() {
        try (BoxLocks.Held lock = lock()) {
            boolean existed = Files.exists(layout.directory(), LinkOption.NOFOLLOW_LINKS) || state().isPresent();
            SandboxConfig c = sandbox.config();
            Optional<BoxState> st = state();
            if (c.ownerUid() != 0 && st.isPresent() && st.get().ownerUid() != c.ownerUid()) {
                throw new SandboxException("This box belongs to a different user (uid " + st.get().ownerUid() + ")");
            }
            removeDirectory();
            sandbox.cgroups().reap(id);
            sandbox.locks().forget(id);
            return existed;
        } catch (SandboxException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SandboxException("Cannot remove box " + id + ": " + e.getMessage(), e);
        }
    }

    private static void ensureOwnedDirectory(Path dir, int uid, String perms) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(uid)) {
            throw new IOException(dir + " must be owned by " + (uid == 0 ? "root" : "uid " + uid) + " (it is owned by uid " + owner + ")");
        }
    }
}
