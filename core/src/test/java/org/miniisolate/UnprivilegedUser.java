package org.miniisolate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.miniisolate.nativeio.Libc;

/**
 * An identity without any privilege, for tests of rootless mode: a uid (and gid of the same
 * number) that no account and no process has, reached with {@code setpriv --reuid --regid
 * --clear-groups}, with a HOME and an XDG_RUNTIME_DIR of its own (0700) under a root-owned
 * temporary directory, and a readable copy of the classes a child JVM needs.
 *
 * <p>setpriv rather than a throwaway account (useradd/userdel): nothing in /etc/passwd changes
 * while other test processes read it (the box id overlap check does), and a test killed half-way
 * leaves no account behind, only a directory under /tmp. Nothing about rootless mode needs a
 * name for the uid.
 */
public final class UnprivilegedUser implements AutoCloseable {
    private final int uid;
    private final Path dir;

    private UnprivilegedUser(int uid, Path dir) {
        this.uid = uid;
        this.dir = dir;
    }

    /**
     * Makes one; skips the calling test, saying why, unless this runs as root with setpriv, a
     * world-readable JDK and a kernel that lets this user create user namespaces (checked with a
     * real {@code unshare} as the user, not only the sysctl).
     */
    public static UnprivilegedUser create() {
        assumeTrue(Libc.geteuid() == 0, "needs root to become an unprivileged user");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs /usr/bin/setpriv (util-linux)");
        assumeTrue(!read(Path.of("/proc/sys/user/max_user_namespaces")).equals("0"),
                "user namespaces are disabled here (user.max_user_namespaces = 0)");
        Path java = javaBinary();
        assumeTrue(reachableByAnyone(java), "the JDK at " + java + " is not readable by other users");
        try {
            Path dir = Files.createTempDirectory("mini-isolate-test-rootless",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            UnprivilegedUser u = new UnprivilegedUser(freeId(), dir);
            try {
                u.privateDirectory(u.home());
                u.privateDirectory(u.runtimeDir());
                Files.createDirectory(u.classes(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
                u.probeUserNamespaces();
                return u;
            } catch (RuntimeException | Error e) {
                u.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int uid() {
        return uid;
    }

    /** Its HOME: private to it. */
    public Path home() {
        return dir.resolve("home");
    }

    /** Its XDG_RUNTIME_DIR: private to it; rootless mode keeps its boxes here by default. */
    public Path runtimeDir() {
        return dir.resolve("run");
    }

    /** Where {@link #shareClasses} puts class files and {@link #share} other files: readable by the user. */
    public Path classes() {
        return dir.resolve("classes");
    }

    /** A root-owned scratch directory the user can read but not write. */
    public Path shared() {
        return dir;
    }

    /**
     * Copies the class path entry holding {@code anchor} (a directory of classes, or a jar) into
     * {@link #classes()}, readable by the user (the build's own directories may not be), and
     * returns the copy.
     */
    public Path shareClasses(Class<?> anchor) {
        try {
            Path source = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path target = classes().resolve(source.getFileName().toString());
            try (Stream<Path> all = Files.walk(source)) {
                for (Path p : all.toList()) {
                    Path t = target.resolve(source.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(t);
                    } else {
                        Files.copy(p, t, StandardCopyOption.REPLACE_EXISTING);
                    }
                    Files.setPosixFilePermissions(t, PosixFilePermissions.fromString(Files.isDirectory(t) ? "rwxr-xr-x" : "rw-r--r--"));
                }
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies {@code file} where the user can read (and run) it. */
    public Path share(Path file) {
        try {
            Path t = classes().resolve(file.getFileName().toString());
            Files.copy(file, t, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rwxr-xr-x"));
            return t;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file of the user's own into its HOME, readable only by it. */
    public Path ownFile(String name, String text) {
        try {
            Path f = Files.writeString(home().resolve(name), text);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            Files.setAttribute(f, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(f, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code command} as this user: no supplementary groups, and an environment holding only
     * HOME, XDG_RUNTIME_DIR and PATH (nothing of root's leaks in). Standard input is /dev/null.
     */
    public ProcessBuilder command(List<String> command) {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                "--", "/usr/bin/env", "-i", "HOME=" + home(), "XDG_RUNTIME_DIR=" + runtimeDir(), "PATH=/usr/bin:/bin"));
        cmd.addAll(command);
        return new ProcessBuilder(cmd).directory(home().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    }

    /** The JVM running the tests, started as this user with {@code classPath}, running {@code main}. */
    public ProcessBuilder java(List<Path> classPath, String main, String... args) {
        List<String> cmd = jvm();
        cmd.addAll(List.of("-cp", String.join(":", classPath.stream().map(Path::toString).toList()), main));
        cmd.addAll(List.of(args));
        return command(cmd);
    }

    /** The JVM running the tests, started as this user, running {@code jar} (a {@link #share shared} copy) with {@code args}. */
    public ProcessBuilder javaJar(Path jar, List<String> args) {
        List<String> cmd = jvm();
        cmd.addAll(List.of("-jar", jar.toString()));
        cmd.addAll(args);
        return command(cmd);
    }

    private static List<String> jvm() {
        return new ArrayList<>(List.of(javaBinary().toString(), "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1"));
    }

    /** Runs {@code pb} to its end (at most {@code seconds}) and returns its exit code, stdout and stderr. */
    public static Output await(ProcessBuilder pb, int seconds) {
        try {
            Path out = Files.createTempFile("mini-isolate-test-rootless-out", ".txt");
            Path err = Files.createTempFile("mini-isolate-test-rootless-err", ".txt");
            try {
                Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor();
                    throw new AssertionError("did not finish within " + seconds + " s: " + pb.command()
                            + "\nstdout: " + Files.readString(out) + "\nstderr: " + Files.readString(err));
                }
                return new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public record Output(int exitCode, String out, String err) {
        public List<String> lines(String prefix) {
            return out.lines().filter(l -> l.startsWith(prefix + " ")).map(l -> l.substring(prefix.length() + 1)).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }

    /** Host pids of the processes running as this uid (there should be none once a test's child ended). */
    public List<Long> processes() {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && uidOf(p) == uid) {
                    pids.add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    /** Ends what still runs as the user (each by pid: it is a uid nobody else has), then removes its directories. */
    @Override
    public void close() {
        for (long pid : processes()) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        org.miniisolate.fs.TreeWalker.deleteTree(dir);
    }

    private void probeUserNamespaces() {
        Output o = await(command(List.of("/usr/bin/unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount",
                "--net", "/bin/true")), 30);
        assumeTrue(o.exitCode() == 0, "an unprivileged user cannot create user namespaces here: " + o.err().trim());
    }

    private void privateDirectory(Path d) throws IOException {
        Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.setAttribute(d, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(d, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** Every directory on the way may be searched by others, and the file read and run. */
    private static boolean reachableByAnyone(Path file) {
        try {
            Path real = file.toRealPath();
            if (!Files.getPosixFilePermissions(real).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                return false;
            }
            for (Path p = real.getParent(); p != null; p = p.getParent()) {
                if (!Files.getPosixFilePermissions(p).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A number no account, group or process uses, below the box ids (60000 and up), picked from
     * this JVM's pid so two test JVMs at once rarely try the same one.
     */
    private static int freeId() {
        String passwd = read(Path.of("/etc/passwd"));
        String group = read(Path.of("/etc/group"));
        for (int i = 0; i < 5000; i++) {
            int id = 50000 + (int) ((ProcessHandle.current().pid() + i) % 5000);
            String field = ":" + id + ":";
            if (!passwd.contains(field) && !group.contains(field) && !anyProcessOf(id)) {
                return id;
            }
        }
        throw new IllegalStateException("no unused uid between 50000 and 54999");
    }

    private static boolean anyProcessOf(int id) {
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.anyMatch(p -> p.getFileName().toString().chars().allMatch(Character::isDigit) && uidOf(p) == id);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int uidOf(Path proc) {
        for (String line : read(proc.resolve("status")).split("\n")) {
            if (line.startsWith("Uid:")) {
                return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
