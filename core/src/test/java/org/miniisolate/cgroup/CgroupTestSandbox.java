package org.miniisolate.cgroup;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.miniisolate.Box;
import org.miniisolate.Sandbox;
import org.miniisolate.SandboxConfig;
import org.miniisolate.fs.TreeWalker;
import org.miniisolate.nativeio.Libc;

/**
 * A private installation for cgroup tests: its own box root, and its own cgroup directory name
 * ({@code mini-isolate-test-<pid>-<n>}) so that it never meets the boxes of another test or a
 * real installation. Closing it removes the boxes, checks that no box cgroup was left behind
 * and removes the project directories it created in each hierarchy.
 */
final class CgroupTestSandbox implements AutoCloseable {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final Path root;
    private final Sandbox sandbox;
    private final String name;

    private CgroupTestSandbox(Path root, Sandbox sandbox, String name) {
        this.root = root;
        this.sandbox = sandbox;
        this.name = name;
    }

    /** Skips the test unless it runs as root on a machine with a usable memory controller. */
    static CgroupTestSandbox open() {
        return open(CgroupConfig.defaults());
    }

    /** As {@link #open()}, discovering from the files {@code base} names (e.g. a fake mount table). */
    static CgroupTestSandbox open(CgroupConfig base) {
        assumeTrue(Libc.geteuid() == 0, "needs root: real boxes and cgroups");
        String name = "mini-isolate-test-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
        Path dir;
        try {
            dir = Files.createTempDirectory("mini-isolate-cgtest",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            SandboxConfig config = SandboxConfig.withBoxRoot(dir.resolve("boxes")).withCgroups(base.withName(name));
            return new CgroupTestSandbox(dir, Sandbox.open(config), name);
        } catch (RuntimeException e) {
            TreeWalker.deleteTree(dir);
            throw e;
        }
    }

    /** Skips the calling test unless this machine offers {@code c}. */
    CgroupTestSandbox require(Controller c) {
        if (sandbox.cgroups().layout().usable(c).isEmpty()) {
            // Called inside the try-with-resources header: nobody else would close this one.
            String reason = "needs the " + c.label() + " cgroup controller: " + sandbox.cgroups().layout().home(c).describe();
            close();
            assumeTrue(false, reason);
        }
        return this;
    }

    Sandbox sandbox() {
        return sandbox;
    }

    Cgroups cgroups() {
        return sandbox.cgroups();
    }

    String name() {
        return name;
    }

    /** A box initialized for cgroup mode (--cg), as the runs of these tests need. */
    Box box(int id) {
        Box b = sandbox.box(id);
        b.init(new org.miniisolate.InitOptions(true, org.miniisolate.fs.Quota.NONE));
        return b;
    }

    /** A box initialized for plain runs. */
    Box plainBox(int id) {
        Box b = sandbox.box(id);
        b.init();
        return b;
    }

    /** Box cgroup directories that exist now, in every hierarchy. */
    List<Path> boxCgroups() {
        return org.miniisolate.TestBoxes.boxCgroupsOf(sandbox);
    }

    @Override
    public void close() {
        List<Path> leftovers = boxCgroups();
        sandbox.close();
        TreeWalker.deleteTree(root);
        for (Path box : leftovers) {
            // Not ours to keep: remove it, then fail the test below.
            try {
                Files.delete(box);
            } catch (IOException ignored) {
                // reported below
            }
        }
        for (Path dir : sandbox.cgroups().roots()) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove the test's cgroup directory " + dir, e);
            }
        }
        if (!leftovers.isEmpty()) {
            throw new IllegalStateException("box cgroups left behind: " + leftovers);
        }
    }
}
