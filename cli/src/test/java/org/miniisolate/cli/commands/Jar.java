package org.miniisolate.cli.commands;

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

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The built {@code mini-isolate.jar} driven through its subcommands as a separate process, in a private
 * installation: boxes under a temporary MINI_ISOLATE_BOX_ROOT, a configuration file of its own (box uids from
 * {@code firstUid}, its own cgroup directory name), so nothing meets another suite's boxes. {@link #close()}
 * cleans up every box it made and removes the whole directory.
 */
final class Jar implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 120;
    static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path root;
    private final Path boxRoot;
    private final Path config;
    private final String cgroupName;

    private Jar(Path root, int firstUid) throws IOException {
        this.root = root;
        this.boxRoot = root.resolve("boxes");
        this.config = root.resolve("mini-isolate.conf");
        this.cgroupName = "mi-sub-it-" + firstUid;
        Files.writeString(config, "first_uid = " + firstUid + "\nfirst_gid = " + firstUid + "\nnum_boxes = 100\n"
                + "cg_root = " + cgroupName + "\n");
    }

    /** A fresh installation; skips the test class unless run as root. */
    static Jar open(int firstUid) {
        try {
            assumeTrue(Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
                    "real sandboxed runs need root");
            return new Jar(Files.createTempDirectory("mini-isolate-sub-it",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))), firstUid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path jar() {
        String jar = System.getProperty("miniisolate.cli.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("miniisolate.cli.jar does not name the built jar: " + jar);
        }
        return Path.of(jar);
    }

    /** java, with the JVM options bin/mini-isolate uses, then -jar the jar under test. */
    static List<String> javaCommand(String... jvmOptions) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-XX:-UsePerfData",
                "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-jar", jar().toString()));
        return cmd;
    }

    Path root() {
        return root;
    }

    Path boxRoot() {
        return boxRoot;
    }

    Path lockRoot() {
        return boxRoot.resolve(".locks");
    }

    Path workDir(int box) {
        return boxRoot.resolve(Integer.toString(box)).resolve("box");
    }

    /** A file in the scratch area (outside every box). */
    Path file(String name, String content) {
        try {
            return Files.writeString(root.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Result run(String... args) {
        return start(args).await();
    }

    Running start(String... args) {
        List<String> cmd = javaCommand();
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Map<String, String> env = pb.environment();
        env.remove("MINI_ISOLATE_INHERITED_FDS");
        env.put("MINI_ISOLATE_BOX_ROOT", boxRoot.toString());
        env.put("MINI_ISOLATE_CONFIG", config.toString());
        try {
            Path out = Files.createTempFile(root, "stdout", ".txt");
            Path err = Files.createTempFile(root, "stderr", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            return new Running(pb.start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** init, checked. */
    void init(int box) {
        Result r = run("init", "--box-id", Integer.toString(box));
        if (r.exitCode() != 0) {
            throw new IllegalStateException("init failed: " + r);
        }
    }

    @Override
    public void close() {
        // Boxes first (their cgroups, quota mounts), through the command under test, then the files.
        if (Files.isDirectory(boxRoot)) {
            try (Stream<Path> boxes = Files.list(boxRoot)) {
                for (Path b : boxes.toList()) {
                    String n = b.getFileName().toString();
                    if (n.chars().allMatch(Character::isDigit)) {
                        run("cleanup", "--box-id", n);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (Files.isDirectory(lockRoot())) {
            try (Stream<Path> states = Files.list(lockRoot())) {
                for (Path s : states.toList()) {
                    String n = s.getFileName().toString();
                    if (n.endsWith(".state")) {
                        run("cleanup", "--box-id", n.substring(0, n.length() - ".state".length()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        deleteTree(root);
        removeCgroupDirectories();
    }

    /**
     * This installation's own cgroup directories (cg_root), under /sys/fs/cgroup or one of its hierarchies: empty
     * once every box is cleaned up, and removed so that nothing stays behind.
     */
    private void removeCgroupDirectories() {
        List<Path> bases = new ArrayList<>(List.of(Path.of("/sys/fs/cgroup")));
        try (Stream<Path> dirs = Files.list(Path.of("/sys/fs/cgroup"))) {
            bases.addAll(dirs.filter(Files::isDirectory).toList());
        } catch (IOException e) {
            return;
        }
        List<String> left = new ArrayList<>();
        for (Path base : bases) {
            Path mine = base.resolve(cgroupName);
            if (Files.isDirectory(mine, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> boxes = Files.list(mine)) {
                    boxes.filter(p -> p.getFileName().toString().startsWith("box-")).forEach(p -> left.add(p.toString()));
                    Files.delete(mine);
                } catch (IOException e) {
                    left.add(mine + ": " + e.getMessage());
                }
            }
        }
        if (!left.isEmpty()) {
            throw new AssertionError("box cgroups left behind: " + left);
        }
    }

    static void deleteTree(Path top) {
        if (!Files.exists(top, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(top)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + top, e);
        }
    }

    /** A test program from the resources, as a file in the scratch area. */
    Path program(String name) {
        try (var in = Jar.class.getResourceAsStream("programs/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test program " + name);
            }
            Path p = root.resolve(name);
            Files.write(p, in.readAllBytes());
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
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
        JsonNode json() {
            return JSON.readTree(stdout);
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
        }
    }
}
