package org.miniisolate.cli.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The built {@code mini-isolate.jar}, run as a separate process the way a judge runs it, with a private box root
 * for one test class. {@link #close()} removes the box root and everything in it.
 */
final class Cli implements AutoCloseable {

    /** How long any single invocation may take before the test gives up on it. */
    private static final long TIMEOUT_SECONDS = 60;

    private final Path root;
    private final Path boxRoot;
    /** Added to the environment of every invocation, e.g. MINI_ISOLATE_CONFIG once {@link #configure} ran. */
    private final Map<String, String> env = new java.util.HashMap<>();

    private Cli(Path root) {
        this.root = root;
        this.boxRoot = root.resolve("boxes");
    }

    /**
     * Writes a configuration file for this installation (its box_root and a lock_root inside it, then {@code lines})
     * and has every later invocation read it through MINI_ISOLATE_CONFIG. Returns the file.
     */
    Path configure(String... lines) {
        StringBuilder text = new StringBuilder("# written by the integration tests\n")
                .append("box_root = ").append(boxRoot).append('\n')
                .append("lock_root = ").append(root.resolve("locks")).append('\n');
        for (String line : lines) {
            text.append(line).append('\n');
        }
        try {
            Path file = Files.writeString(root.resolve("mini-isolate.conf"), text);
            env.put("MINI_ISOLATE_CONFIG", file.toString());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh installation in a root-owned temporary directory; skips the test class unless run as root. */
    static Cli open() {
        try {
            assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                    "real sandboxed runs need root");
            return new Cli(Files.createTempDirectory("mini-isolate-it",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shaded jar under test, as built by this module. */
    static Path jar() {
        String jar = System.getProperty("miniisolate.cli.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("miniisolate.cli.jar does not name the built jar: " + jar);
        }
        return Path.of(jar);
    }

    /** {@code java} with the JVM options bin/mini-isolate uses, then {@code -jar} the jar under test. */
    static List<String> javaCommand() {
        List<String> cmd = new ArrayList<>();
        // The JDK running the tests: a plain "java" may be an older one.
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED", "-jar", jar().toString()));
        return cmd;
    }

    /** A scratch directory inside this installation, e.g. for meta-files; removed with it. */
    Path scratch() {
        return root;
    }

    Path boxRoot() {
        return boxRoot;
    }

    /** Where box {@code id} lives, as --init prints it. */
    Path boxDir(int id) {
        return boxRoot.resolve(Integer.toString(id));
    }

    /** The program's /box of box {@code id}. */
    Path workDir(int id) {
        return boxDir(id).resolve("box");
    }

    /** Runs mini-isolate with {@code args} and waits for it. */
    Result run(String... args) {
        return start(List.of(args)).await();
    }

    /** Runs mini-isolate with {@code args} and {@code extraEnv} added to (or overriding) its environment. */
    Result runWithEnv(Map<String, String> extraEnv, String... args) {
        List<String> cmd = javaCommand();
        cmd.addAll(List.of(args));
        return startCommand(cmd, extraEnv).await();
    }

    /** Starts mini-isolate with {@code args}, standard input from /dev/null. */
    Running start(List<String> args) {
        List<String> cmd = javaCommand();
        cmd.addAll(args);
        return startCommand(cmd, Map.of());
    }

    /** Starts {@code cmd} with this installation's environment plus {@code extraEnv}. */
    Running startCommand(List<String> cmd, Map<String, String> extraEnv) {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = pb.environment();
        env.remove("MINI_ISOLATE_INHERITED_FDS");
        env.put("MINI_ISOLATE_BOX_ROOT", boxRoot.toString());
        env.putAll(this.env);
        env.putAll(extraEnv);
        try {
            Path out = Files.createTempFile(root, "stdout", ".txt");
            Path err = Files.createTempFile(root, "stderr", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            return new Running(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Initializes box {@code id} and checks that it worked. */
    void init(int id) {
        Result r = run("-b", Integer.toString(id), "--init");
        if (r.exitCode() != 0) {
            throw new IllegalStateException("--init failed: " + r);
        }
    }

    @Override
    public void close() {
        // A test that failed half-way may leave a quota filesystem mounted on a box: unmount it, or the files in it
        // would be deleted and its mount point would stay busy.
        for (Path mount : Mounts.under(root)) {
            Mounts.unmount(mount);
        }
        deleteTree(root);
    }

    static void deleteTree(Path top) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        // Files.walk does not follow symbolic links, so nothing outside the tree is touched.
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + top, e);
        }
    }

    /** A started invocation. */
    record Running(Process process, Path stdout, Path stderr) {
        Result await() {
            try {
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError("mini-isolate did not finish within " + TIMEOUT_SECONDS + " s");
                }
                Result r = new Result(process.exitValue(), Files.readString(stdout, StandardCharsets.UTF_8),
                        Files.readString(stderr, StandardCharsets.UTF_8));
                Files.delete(stdout);
                Files.delete(stderr);
                return r;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** What one invocation did. */
    record Result(int exitCode, String stdout, String stderr) {
    }
}
