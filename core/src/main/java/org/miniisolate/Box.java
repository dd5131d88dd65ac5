package org.miniisolate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.miniisolate.box.BoxIdentity;
import org.miniisolate.box.BoxLayout;
import org.miniisolate.fs.RootPlan;
import org.miniisolate.fs.TreeWalker;
import org.miniisolate.launch.LaunchSpec;
import org.miniisolate.launch.RunningBox;
import org.miniisolate.result.ResultAssembler;
import org.miniisolate.result.RunResult;
import org.miniisolate.seccomp.FilterUnavailableException;
import org.miniisolate.spec.RunSpec;
import org.miniisolate.watch.CpuCounter;
import org.miniisolate.watch.Watchdog;

/**
 * One box: a directory the caller fills between runs, and the identity its programs run as.
 * Between runs {@code box/} belongs to the owner; during a run, to the box user.
 */
public final class Box {
    private final Sandbox sandbox;
    private final int id;
    private final BoxLayout layout;
    private final BoxIdentity identity;

    Box(Sandbox sandbox, int id) {
        this.sandbox = sandbox;
        this.id = id;
        this.layout = BoxLayout.of(sandbox.config().boxRoot(), id);
        this.identity = new BoxIdentity(sandbox.config().firstUid() + id, sandbox.config().firstGid() + id);
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

    public boolean isInitialized() {
        return Files.isDirectory(layout.box(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Creates the box, or resets it to empty if it exists; returns its directory. */
    public Path init() {
        SandboxConfig c = sandbox.config();
        try {
            ensureRootOwnedDirectory(c.boxRoot(), "rwxr-xr-x");
            TreeWalker.deleteTree(layout.directory());
            Files.createDirectory(layout.directory(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            Files.createDirectory(layout.rootMountPoint(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(layout.tmp(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(layout.box(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.setAttribute(layout.box(), "unix:uid", c.ownerUid(), LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(layout.box(), "unix:gid", c.ownerGid(), LinkOption.NOFOLLOW_LINKS);
            // A crashed run may have left this box's cgroups behind (isolate --init recreates them too).
            sandbox.cgroups().reap(id);
        } catch (IOException | RuntimeException e) {
            throw new SandboxException("Cannot initialize box " + id + " in " + layout.directory() + ": " + e.getMessage(), e);
        }
        return layout.directory();
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
        if (!isInitialized()) {
            throw new SandboxException("Box not found, did you run `mini-isolate --init'?");
        }
        RootPlan root = RootPlan.of(spec.dirs(), layout);
        byte[] seccompBpf = syscallFilter(spec);
        // Created first and removed last, whatever happens in between (CgroupRun.close).
        try (CgroupRun cgroup = CgroupRun.open(sandbox.cgroups(), id, spec)) {
            LaunchSpec launch = RunPlanner.plan(spec, id, layout, identity, root, cgroup.box(), seccompBpf);
            try {
                root.prepareHostSide(identity);
                TreeWalker.chownTree(layout.box(), -1, identity.uid(), identity.gid(), false);
            } catch (RuntimeException e) {
                throw new SandboxException("Cannot prepare box " + id + ": " + e.getMessage(), e);
            }
            RunResult result;
            try (RunningBox running = sandbox.launcher().start(launch)) {
                Watchdog.Outcome outcome = watch(running, spec, cgroup, control);
                result = ResultAssembler.assemble(launch, spec.limits(), outcome.report(), outcome.killed(), cgroup.usage());
            } finally {
                handBack();
            }
            return cgroup.finish(result);
        }
    }

    /**
     * The run's compiled system call filter; null when its policy has none, or when libseccomp is
     * missing and the policy does not require a filter ({@link Sandbox#seccompSupport()} says so).
     */
    private byte[] syscallFilter(RunSpec spec) {
        try {
            return sandbox.syscallFilters().bpfFor(spec.syscalls());
        } catch (FilterUnavailableException | IllegalArgumentException e) {
            throw new SandboxException("Cannot build the system call filter: " + e.getMessage(), e);
        }
    }

    /** Follows the run to its end: CPU time from the cgroup when it counts it, kill requests from {@code control}. */
    private Watchdog.Outcome watch(RunningBox running, RunSpec spec, CgroupRun cgroup, RunControl control) {
        CpuCounter cpu = cgroup.countsCpu() ? cgroup : null;
        if (control == null) {
            return sandbox.watchdog().watch(running, spec.limits(), cpu);
        }
        control.attach(cgroup.box());
        try {
            return sandbox.watchdog().watch(running, spec.limits(), cpu, control::killRequested);
        } finally {
            // Before the cgroups are read and removed: the control must not touch them any more.
            control.detach();
        }
    }

    /** Gives box/ back to its owner, deleting the special files a program may have planted there. */
    private void handBack() {
        SandboxConfig c = sandbox.config();
        TreeWalker.chownTree(layout.box(), identity.uid(), c.ownerUid(), c.ownerGid(), true);
    }

    /** Removes the box and everything in it; fine if it does not exist. */
    public void cleanup() {
        try {
            TreeWalker.deleteTree(layout.directory());
            sandbox.cgroups().reap(id);
        } catch (RuntimeException e) {
            throw new SandboxException("Cannot remove box " + id + ": " + e.getMessage(), e);
        }
    }

    private static void ensureRootOwnedDirectory(Path dir, String perms) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(perms)));
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(dir + " is not a directory");
        }
        Object owner = Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        if (!owner.equals(0)) {
            throw new IOException(dir + " must be owned by root (it is owned by uid " + owner + ")");
        }
    }
}
