package org.miniisolate.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.miniisolate.SandboxConfig;
import org.miniisolate.config.ConfigFile;
import org.miniisolate.nativeio.Libc;

/**
 * Makes the JDK AOT cache bin/mini-isolate starts the CLI with (JEP 483: the classes a run loads, already parsed
 * and linked, and the lambdas and string concatenations already resolved: about half of a cold start).
 *
 * <p>bin/mini-isolate starts this in the background, detached, when the cache for the current jar is missing:
 * <pre>java FLAGS -cp JAR org.miniisolate.cli.AotTraining CACHE-FILE JAR-DIGEST LOCK-DIRECTORY</pre>
 * It records a training workload in a second JVM ({@code -XX:AOTMode=record}), builds the cache from that in a third
 * ({@code -XX:AOTMode=create}), checks that the jar still has the digest the cache is named after (a jar rebuilt
 * meanwhile gets no cache: JDK 25.0.3 would serve its stale classes, JDK-8377932), and only then moves the cache into
 * place. The script allows one training per jar at a time (the lock directory, which this removes when done).
 *
 * <p>The workload is the CLI itself ({@link Main#run}): --version, a usage error and, as root, --init, three
 * --runs and --cleanup of a throw-away box in a private directory, under a configuration file of its own whose
 * only box runs as the uid just past the installation's box range, so no judged box, lock or cgroup can be touched.
 * No --cg run: cgroup directories are shared machine state.
 */
public final class AotTraining {
    /** Flag the workload JVM gets instead of a cache file name. */
    static final String WORKLOAD = "--workload";
    private static final long STEP_TIMEOUT_SECONDS = 300;
    private static final String DIGEST_COMMAND = "b2sum";

    private AotTraining() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals(WORKLOAD)) {
            workload(Path.of(args[1]));
            return;
        }
        if (args.length != 3) {
            System.err.println("usage: AotTraining CACHE-FILE JAR-DIGEST LOCK-DIRECTORY (started by bin/mini-isolate)");
            System.exit(2);
        }
        closeInheritedDescriptors();
        System.exit(orchestrate(Path.of(args[0]).toAbsolutePath(), args[1], Path.of(args[2])) ? 0 : 1);
    }

    /**
     * The caller's descriptors that bin/mini-isolate lists in MINI_ISOLATE_INHERITED_FDS: a background job must not
     * keep a judge's pipe open. The children below inherit none anyway (ProcessBuilder passes only 0-2).
     */
    private static void closeInheritedDescriptors() {
        String fds = System.getenv("MINI_ISOLATE_INHERITED_FDS");
        if (fds == null || fds.isBlank()) {
            return;
        }
        for (String fd : fds.split(",")) {
            try {
                int n = Integer.parseInt(fd.trim());
                if (n > 2) {
                    Libc.close(n);
                }
            } catch (NumberFormatException ignored) {
                // not a descriptor number: nothing of ours
            }
        }
    }

    /** Records, creates, checks and installs the cache; {@code lock} (made by the script) is removed at the end. */
    private static boolean orchestrate(Path cache, String digest, Path lock) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("java.class.path")).toAbsolutePath();
        try {
            Path log = lock.resolve("log");
            Path config = lock.resolve("app.aotconf");
            Path built = lock.resolve("app.aot");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> flags = jvmFlags();

            List<String> record = new ArrayList<>(List.of(java));
            record.addAll(flags);
            record.addAll(List.of("-XX:AOTMode=record", "-XX:AOTConfiguration=" + config, "-cp", jar.toString(),
                    AotTraining.class.getName(), WORKLOAD, lock.resolve("work").toString()));
            List<String> create = new ArrayList<>(List.of(java));
            create.addAll(flags);
            create.addAll(List.of("-XX:AOTMode=create", "-XX:AOTConfiguration=" + config, "-XX:AOTCache=" + built,
                    "-cp", jar.toString()));
            if (run(record, log) != 0 || run(create, log) != 0 || !Files.isRegularFile(built)) {
                return false;
            }
            if (!digest.equals(digestOf(jar, log))) {
                return false; // the jar changed while we trained: this cache would be stale the moment it is used
            }
            Files.setPosixFilePermissions(built, PosixFilePermissions.fromString("rw-------"));
            Files.move(built, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            removeOtherCaches(cache);
            return true;
        } finally {
            // The last training's log stays beside the caches, for whoever wonders why there is none.
            Path log = lock.resolve("log");
            if (Files.exists(log)) {
                Files.move(log, cache.resolveSibling("training.log"), StandardCopyOption.REPLACE_EXISTING);
            }
            deleteTree(lock);
        }
    }

    /** This JVM's options (bin/mini-isolate's), for the record and create steps: the cache needs the same ones. */
    private static List<String> jvmFlags() {
        List<String> flags = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-XX:AOT") && !a.startsWith("-Xlog:")) { // logging stays on: the steps write to the log
                flags.add(a);
            }
        }
        return flags;
    }

    private static int run(List<String> command, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
        if (!p.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return -1;
        }
        return p.exitValue();
    }

    /** The jar's digest as bin/mini-isolate computes it ({@code b2sum -l 256}); null if that fails. */
    private static String digestOf(Path jar, Path log) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(DIGEST_COMMAND, "-l", "256", jar.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        if (!p.waitFor(STEP_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        int space = out.indexOf(' ');
        return space < 0 ? null : out.substring(0, space);
    }

    /** Caches of earlier jars in the same directory: nothing will ask for them again. */
    private static void removeOtherCaches(Path keep) throws IOException {
        try (Stream<Path> files = Files.list(keep.getParent())) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (!f.equals(keep) && name.startsWith("mini-isolate-") && name.endsWith(".aot")) {
                    Files.deleteIfExists(f); // a JVM that mapped it keeps its mapping
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** What a judge does with the CLI, in miniature; everything printed goes nowhere. */
    static void workload(Path work) throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        System.setOut(nowhere);
        System.setErr(nowhere);
        try {
            Main.run(new String[] {"--version"});
            Main.run(new String[] {"--no-such-option"});
            if (Libc.geteuid() != 0) {
                return; // boxes need root; the cache then covers start-up and parsing only
            }
            Files.createDirectories(work);
            Path conf = trainingConfig(work);
            String c = "--config=" + conf;
            Main.run(new String[] {c, "--init"});
            Main.run(new String[] {c, "--run", "--", "/bin/true"});
            Main.run(new String[] {c, "-M", work.resolve("meta").toString(), "-t", "1", "-w", "2", "-m", "262144",
                "-o", "out.txt", "--run", "--", "/bin/sh", "-c", "echo x; exit 3"});
            Main.run(new String[] {c, "-s", "--run", "--", "/no/such/program"});
            Main.run(new String[] {c, "--cleanup"});
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    /**
     * A configuration of one box under {@code work}, running as the first uid and gid after the installation's
     * range ({@code first_uid + num_boxes}), which no box of the installation uses.
     */
    private static Path trainingConfig(Path work) throws IOException {
        SandboxConfig installation;
        try {
            installation = SandboxConfig.from(ConfigFile.load(null, System.getenv()), null);
        } catch (RuntimeException e) {
            installation = SandboxConfig.defaults();
        }
        String text = "# AOT cache training (bin/mini-isolate); removed when it ends\n"
                + "box_root = " + work.resolve("boxes") + "\n"
                + "lock_root = " + work.resolve("locks") + "\n"
                + "first_uid = " + (installation.firstUid() + installation.numBoxes()) + "\n"
                + "first_gid = " + (installation.firstGid() + installation.numBoxes()) + "\n"
                + "num_boxes = 1\n";
        return Files.writeString(work.resolve("training.conf"), text);
    }
}
