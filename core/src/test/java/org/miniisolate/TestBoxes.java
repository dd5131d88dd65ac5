package org.miniisolate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.miniisolate.nativeio.Libc;

/**
 * A private sandbox installation for one test class: its own box root in a fresh root-owned
 * directory, removed with every box in it when the class is done.
 */
public final class TestBoxes implements AutoCloseable {
    private static final java.util.concurrent.atomic.AtomicInteger CGROUP_NAMES = new java.util.concurrent.atomic.AtomicInteger();

    private final Path root;
    private final Sandbox sandbox;

    private TestBoxes(Path root, Sandbox sandbox) {
        this.root = root;
        this.sandbox = sandbox;
    }

    /** Skips the calling test (with the reason) unless it runs as root, which real boxes need. */
    public static TestBoxes open() {
        return open(false);
    }

    /**
     * As {@link #open()}; with {@code cgroups}, box cgroups go under a name of this installation's
     * own ({@code mini-isolate-test-<pid>-c<n>}, removed on close), and the test is skipped where
     * the machine has no usable memory controller.
     */
    public static TestBoxes open(boolean cgroups) {
        assumeTrue(Libc.geteuid() == 0, "needs root: real namespaces, mounts and uid switches");
        Path dir;
        try {
            dir = Files.createTempDirectory("mini-isolate-test",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SandboxConfig config = SandboxConfig.withBoxRoot(dir.resolve("boxes"));
        if (cgroups) {
            String name = "mini-isolate-test-" + ProcessHandle.current().pid() + "-c" + CGROUP_NAMES.incrementAndGet();
            config = config.withCgroups(config.cgroups().withName(name));
        }
        TestBoxes boxes = new TestBoxes(dir, Sandbox.open(config));
        if (cgroups && boxes.sandbox.cgroups().layout().usable(org.miniisolate.cgroup.Controller.MEMORY).isEmpty()) {
            String why = boxes.sandbox.cgroups().layout().home(org.miniisolate.cgroup.Controller.MEMORY).describe();
            boxes.close();
            assumeTrue(false, "needs the memory cgroup controller: " + why);
        }
        return boxes;
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public Path root() {
        return root;
    }

    /** An initialized box. */
    public Box box(int id) {
        Box b = sandbox.box(id);
        b.init();
        return b;
    }

    /** A box initialized for cgroup runs (isolate's --cg --init). */
    public Box cgroupBox(int id) {
        Box b = sandbox.box(id);
        b.init(new InitOptions(true, org.miniisolate.fs.Quota.NONE));
        return b;
    }

    /** Box cgroup directories of {@code sandbox} that exist now, in every hierarchy. */
    public static List<Path> boxCgroupsOf(Sandbox sandbox) {
        List<Path> out = new ArrayList<>();
        for (Path dir : sandbox.cgroups().roots()) {
            if (Files.isDirectory(dir)) {
                try (var s = Files.newDirectoryStream(dir, Files::isDirectory)) {
                    s.forEach(out::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    @Override
    public void close() {
        sandbox.close();
        List<Path> leftovers = new ArrayList<>();
        // A box with a quota is its own filesystem: unmount it before deleting (Box.cleanup would too).
        try (var boxDirs = Files.newDirectoryStream(root.resolve("boxes"))) {
            for (Path d : boxDirs) {
                org.miniisolate.fs.QuotaFilesystem.unmountIfPresent(d);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            // no box was ever made
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        org.miniisolate.fs.TreeWalker.deleteTree(root);
        if (Files.exists(root)) {
            leftovers.add(root);
        }
        if (!sandbox.config().cgroups().name().equals(org.miniisolate.cgroup.CgroupConfig.defaults().name())) {
            // Our own cgroup directories: every box cgroup in them is gone by now, or this fails.
            for (Path dir : sandbox.cgroups().roots()) {
                try {
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    leftovers.add(dir);
                }
            }
        }
        if (!leftovers.isEmpty()) {
            throw new IllegalStateException("test left files behind: " + leftovers);
        }
    }
}
