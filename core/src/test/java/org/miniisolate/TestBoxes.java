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
    private final Path root;
    private final Sandbox sandbox;

    private TestBoxes(Path root, Sandbox sandbox) {
        this.root = root;
        this.sandbox = sandbox;
    }

    /** Skips the calling test (with the reason) unless it runs as root, which real boxes need. */
    public static TestBoxes open() {
        assumeTrue(Libc.geteuid() == 0, "needs root: real namespaces, mounts and uid switches");
        try {
            Path dir = Files.createTempDirectory("mini-isolate-test",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            return new TestBoxes(dir, Sandbox.open(SandboxConfig.withBoxRoot(dir.resolve("boxes"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        if (!leftovers.isEmpty()) {
            throw new IllegalStateException("test left files behind: " + leftovers);
        }
    }
}
