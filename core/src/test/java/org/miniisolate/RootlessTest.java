package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.miniisolate.nativeio.Libc;

/**
 * Rootless mode as a real unprivileged user ({@link UnprivilegedUser}): a JVM of that user runs
 * the library ({@link RootlessChildMain}) with the defaults, and this test, as root, checks what
 * it reports, what it printed on stderr, and what it left on the machine.
 */
class RootlessTest {
    private static final String ROOTLESS_WARNING = "mini-isolate: warning: rootless mode (running as uid ";
    private static final Path V2 = Path.of("/sys/fs/cgroup/unified");

    /** One run as the child reported it. */
    private record Run(String verdict, int exit, long cpuMs, long wallMs, String out, String detail) {
        static Map<String, Run> of(UnprivilegedUser.Output o) {
            Map<String, Run> runs = new HashMap<>();
            for (String line : o.lines("RESULT")) {
                String[] f = line.split(" ", -1);
                runs.put(f[0], new Run(f[1], Integer.parseInt(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]), decode(f[5]),
                        decode(f[6])));
            }
            return runs;
        }

        private static String decode(String b64) {
            return new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> facts(UnprivilegedUser.Output o) {
        Map<String, String> facts = new HashMap<>();
        for (String line : o.lines("FACT")) {
            int space = line.indexOf(' ');
            facts.put(line.substring(0, space), line.substring(space + 1));
        }
        return facts;
    }

    private static UnprivilegedUser.Output child(UnprivilegedUser user, String... args) {
        return UnprivilegedUser.await(childCommand(user, args), 180);
    }

    private static ProcessBuilder childCommand(UnprivilegedUser user, String... args) {
        List<Path> cp = List.of(user.shareClasses(Sandbox.class), user.shareClasses(RootlessChildMain.class));
        return user.java(cp, RootlessChildMain.class.getName(), args);
    }

    private static long count(String text, String needle) {
        return text.lines().filter(l -> l.contains(needle)).count();
    }

    @Test
    void anUnprivilegedUserRunsConfinedBoxesAndIsToldOnceWhatRootlessModeLacks() throws Exception {
        try (UnprivilegedUser user = UnprivilegedUser.create();
             ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Path secret = user.ownFile("secret.txt", "the user's own secret\n");
            Path connect = user.share(TestPrograms.binary("connect_tcp"));

            UnprivilegedUser.Output o = child(user, "basic", secret.toString(), connect.toString(),
                    Integer.toString(listener.getLocalPort()));

            Map<String, String> facts = facts(o);
            Map<String, Run> runs = Run.of(o);
            assertThat(o.exitCode()).as("%s", o).isZero();
            assertThat(facts).as("%s", o).containsEntry("rootless", "true")
                    .containsEntry("boxRoot", user.runtimeDir().resolve("mini-isolate").toString());
            // kill -9 -1 in the box reached nothing outside it: the caller's JVM (same uid) went on with the runs below.
            assertThat(runs.get("killall")).as("%s", o).extracting(Run::verdict, Run::out).containsExactly("OK", "survived\n");
            // Verdicts, output and exit codes as for root.
            assertThat(runs.get("ok")).as("%s", o).extracting(Run::verdict, Run::exit, Run::out).containsExactly("OK", 0, "hello\n");
            assertThat(runs.get("exit")).as("%s", o).extracting(Run::verdict, Run::exit).containsExactly("RUNTIME_ERROR", 3);
            assertThat(runs.get("cpu").verdict()).as("%s", o).isEqualTo("TIME_LIMIT");
            assertThat(runs.get("cpu").cpuMs()).as("%s", o).isGreaterThanOrEqualTo(300);
            assertThat(runs.get("wall").verdict()).as("%s", o).isEqualTo("WALL_TIME_LIMIT");
            // Confinement: the caller's own file outside the rules does not exist in the box.
            assertThat(runs.get("secret").verdict()).as("%s", o).isEqualTo("RUNTIME_ERROR");
            assertThat(runs.get("secret").detail()).as("%s", o).contains("No such file");
            // Its own PID namespace: only ls itself (and no init: it is not dumpable, so hidepid hides it).
            assertThat(runs.get("pids").out().lines().filter(l -> l.chars().allMatch(Character::isDigit)).toList())
                    .as("%s", o).hasSizeLessThanOrEqualTo(1);
            // Its own network namespace: only lo, and the host's loopback listener is out of reach.
            assertThat(runs.get("netdev").out().lines().skip(2).map(l -> l.trim().split(":")[0]).toList())
                    .as("%s", o).containsExactly("lo");
            assertThat(runs.get("connect").out().trim()).as("%s", o).isIn("connect: ECONNREFUSED", "connect: ENETUNREACH");
            // The box uid inside, no capabilities, no_new_privs, the filter on (mode 2).
            String status = runs.get("status").out();
            assertThat(status).as("%s", o).containsPattern("Uid:\\s+60000\\s+60000\\s+60000\\s+60000")
                    .containsPattern("CapEff:\\s+0+\\n").containsPattern("CapPrm:\\s+0+\\n").containsPattern("CapBnd:\\s+0+\\n")
                    .containsPattern("NoNewPrivs:\\s+1").containsPattern("Seccomp:\\s+2");
            // ... which is the caller's own uid outside.
            assertThat(runs.get("made").out().trim()).as("%s", o).isEqualTo("60000");
            assertThat(facts).as("%s", o).containsEntry("madeHostUid", Integer.toString(user.uid()));
            assertThat(runs.get("closed").verdict()).as("%s", o).isEqualTo("OK");
            // RLIMIT_NPROC=3 (+1 for the init) counts the box's processes only: two sleeps start, the third cannot.
            assertThat(runs.get("nproc").out()).as("%s", o).isEqualTo("one\ntwo\n");
            assertThat(runs.get("nproc").detail()).as("%s", o).contains("Cannot fork");

            // A limit above the user's own hard limit: capped at it, and said once.
            String hard = facts.get("hardOpenFiles");
            assertThat(runs.get("ceiling")).as("%s", o).extracting(Run::verdict, Run::out).containsExactly("OK", hard + "\n");
            assertThat(count(o.err(), "RLIMIT_NOFILE of " + (Long.parseLong(hard) + 1) + " is above your own hard limit (" + hard + ")"))
                    .as("%s", o).isEqualTo(1);

            // A norec bind of a tree with mounts below it: refused by the kernel, and the message says why.
            if (mountsUnder(Path.of("/sys")).stream().anyMatch(m -> m.startsWith("/sys/"))) {
                assertThat(runs.get("norec").verdict()).as("%s", o).isEqualTo("INTERNAL_ERROR");
                assertThat(runs.get("norec").detail()).as("%s", o).contains("Cannot mount /sys on /sys: Invalid argument",
                        "rootless mode", "drop norec");
            }

            // Said once for the whole sandbox, naming what is missing and the fixes.
            assertThat(count(o.err(), ROOTLESS_WARNING)).as("%s", o).isEqualTo(1);
            assertThat(o.err()).as("%s", o).contains("your uid " + user.uid() + " outside it", "separate host uid per box",
                    "run as root", "newuidmap", "disk quotas", "systemd-run --user --scope -p Delegate=yes");

            // Nothing left: no box, no process of the user, no mount under its directories.
            assertThat(facts).as("%s", o).containsEntry("boxDirectoryLeft", "false");
            assertThat(user.processes()).isEmpty();
            assertThat(mountsUnder(user.shared())).isEmpty();
            assertThat(listing(user.runtimeDir().resolve("mini-isolate"))).containsOnly(".launcher", ".locks");
        }
    }

    @Test
    void warmPooledBoxesWorkRootlessWithTheSameConfinement() {
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            Path secret = user.ownFile("secret.txt", "the user's own secret\n");
            UnprivilegedUser.Output o = child(user, "pool", secret.toString());
            Map<String, Run> runs = Run.of(o);
            assertThat(o.exitCode()).as("%s", o).isZero();
            assertThat(runs.get("pool-ok")).as("%s", o).extracting(Run::verdict, Run::out).containsExactly("OK", "pooled\n");
            assertThat(runs.get("pool-status").out()).as("%s", o).containsPattern("Uid:\\s+60001\\s+60001\\s+60001\\s+60001")
                    .containsPattern("CapEff:\\s+0+\\n").containsPattern("NoNewPrivs:\\s+1").containsPattern("Seccomp:\\s+2");
            assertThat(runs.get("pool-secret").detail()).as("%s", o).contains("No such file");
            assertThat(runs.get("pool-exit")).as("%s", o).extracting(Run::verdict, Run::exit).containsExactly("RUNTIME_ERROR", 4);
            assertThat(runs.get("pool-leave").verdict()).as("%s", o).isEqualTo("OK");
            // The next lease finds /box and /tmp as the pool made them: only the capture files of this run.
            assertThat(runs.get("pool-next").out().lines().filter(l -> l.contains("left")).toList()).as("%s", o).isEmpty();
            assertThat(count(o.err(), ROOTLESS_WARNING)).as("%s", o).isEqualTo(1);
            assertThat(user.processes()).isEmpty();
            assertThat(mountsUnder(user.shared())).isEmpty();
        }
    }

    @Test
    void aQuotaIsWarnedAboutOnceAndRefusedInStrictMode() {
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            UnprivilegedUser.Output lenient = child(user, "quota");
            assertThat(lenient.exitCode()).as("%s", lenient).isZero();
            assertThat(Run.of(lenient).get("quota-ok")).as("%s", lenient).extracting(Run::verdict, Run::out)
                    .containsExactly("OK", "fine\n");
            assertThat(count(lenient.err(), "disk quota (-q 1024,100) not enforced")).as("%s", lenient).isEqualTo(1);
            assertThat(lenient.err()).as("%s", lenient).contains("Fix: run as root");

            UnprivilegedUser.Output strict = child(user, "strict-quota");
            assertThat(strict.lines("REFUSED")).as("%s", strict).singleElement().asString()
                    .contains("Refusing to initialize box 0 without its quota (strict mode)");
            assertThat(user.processes()).isEmpty();
        }
    }

    @Test
    void strictCgroupModeRefusesWhereNoDelegatedSubtreeIs() {
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            UnprivilegedUser.Output o = child(user, "strict-cgroup");
            assertThat(o.lines("REFUSED")).as("%s", o).singleElement().asString()
                    .contains("Refusing to run without cgroup limits (strict mode)", "memory");
            assertThat(o.lines("RESULT")).as("%s", o).isEmpty();
        }
    }

    /**
     * A v2 subtree delegated to the user the way systemd delegates one (the directory and its
     * cgroup.procs, cgroup.subtree_control and cgroup.threads chowned), with the user's JVM in a
     * leaf of it: the box cgroup goes beside that leaf, counts CPU from cpu.stat, is killed
     * through cgroup.kill and removed; memory and pids, which this v2 mount lacks, are warned about.
     */
    @Test
    void boxCgroupsGoInADelegatedV2SubtreeBesideTheCallersOwnLeaf() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root to delegate a cgroup");
        assumeTrue(Files.isRegularFile(V2.resolve("cgroup.procs")) && Files.isWritable(V2),
                "needs a writable cgroup v2 mount at " + V2);
        Path delegated = V2.resolve("mini-isolate-rootless-test-" + ProcessHandle.current().pid());
        try (UnprivilegedUser user = UnprivilegedUser.create()) {
            Path leaf = delegated.resolve("main");
            try {
                Files.createDirectory(delegated);
                assumeTrue(Files.isRegularFile(delegated.resolve("cgroup.kill")), "needs cgroup.kill (Linux 5.14+)");
                for (String f : List.of("", "cgroup.procs", "cgroup.subtree_control", "cgroup.threads")) {
                    chown(f.isEmpty() ? delegated : delegated.resolve(f), user.uid());
                }
                Files.createDirectory(leaf);
                chown(leaf, user.uid());
                chown(leaf.resolve("cgroup.procs"), user.uid());
                Path boxCgroup = delegated.resolve("mini-isolate").resolve("box-0");
                ProcessBuilder java = childCommand(user, "cgroup", boxCgroup.toString());
                // Root puts the shell in the leaf, then it becomes the user: moving across the tree needs root.
                List<String> inLeaf = new java.util.ArrayList<>(List.of("/bin/sh", "-c",
                        "echo $$ > \"$0\" && exec \"$@\"", leaf.resolve("cgroup.procs").toString()));
                inLeaf.addAll(java.command());
                UnprivilegedUser.Output o = UnprivilegedUser.await(java.command(inLeaf), 180);

                Map<String, String> facts = facts(o);
                Map<String, Run> runs = Run.of(o);
                assertThat(o.exitCode()).as("%s", o).isZero();
                assertThat(runs.get("cg-cpu").verdict()).as("%s", o).isEqualTo("TIME_LIMIT");
                assertThat(runs.get("cg-cpu").cpuMs()).as("%s", o).isGreaterThanOrEqualTo(500);
                assertThat(facts).as("%s", o).containsEntry("cgroupSeenDuringRun", "true")
                        .containsEntry("cgroupLeftAfterRun", "false").containsEntry("cgroupLeftAfterKill", "false");
                assertThat(runs.get("cg-kill").verdict()).as("%s", o).isEqualTo("INTERRUPTED");
                assertThat(runs.get("cg-kill").wallMs()).as("%s", o).isLessThan(20_000);
                assertThat(count(o.err(), "cgroup memory controller unavailable")).as("%s", o).isEqualTo(1);
                assertThat(count(o.err(), "cgroup pids controller unavailable")).as("%s", o).isEqualTo(1);
                assertThat(o.err()).as("%s", o).contains("address-space rlimit", "RLIMIT_NPROC", "Delegate=yes");
                // Beside the caller's leaf: the project's directory is a sibling of it, the box a leaf below.
                assertThat(subgroups(delegated)).containsExactly("main", "mini-isolate");
                assertThat(subgroups(delegated.resolve("mini-isolate"))).isEmpty();
                assertThat(Files.readString(leaf.resolve("cgroup.procs")).trim()).isEmpty();
            } finally {
                removeDelegated(delegated);
            }
            assertThat(user.processes()).isEmpty();
        }
        assertThat(delegated).doesNotExist();
    }

    /** Ends whatever is still in the subtree (by pid) and removes it, leaves first. */
    private static void removeDelegated(Path top) throws IOException {
        if (!Files.isDirectory(top)) {
            return;
        }
        List<Path> dirs;
        try (Stream<Path> all = Files.walk(top)) {
            dirs = all.filter(Files::isDirectory).sorted(java.util.Comparator.reverseOrder()).toList();
        }
        for (Path d : dirs) {
            for (String pid : Files.readString(d.resolve("cgroup.procs")).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        }
        for (Path d : dirs) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (true) {
                try {
                    Files.delete(d);
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                }
            }
        }
    }

    private static void chown(Path p, int uid) throws IOException {
        Files.setAttribute(p, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", uid, LinkOption.NOFOLLOW_LINKS);
    }

    private static List<String> listing(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The child cgroups of {@code dir}: its directories (the rest are control files). */
    private static List<String> subgroups(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> mountsUnder(Path dir) {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(l -> l.split(" ")[4]).filter(m -> m.startsWith(dir.toString())).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
