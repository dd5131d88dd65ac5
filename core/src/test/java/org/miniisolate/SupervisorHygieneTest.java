package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.miniisolate.launch.LauncherBinary;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * What the supervisor keeps outside every box: its launcher, the boxes' locks and state, the
 * other boxes, and itself (no signal reaches it). Box ids 942-946 are this class's alone.
 */
@EveryBoxKind
class SupervisorHygieneTest {
    private static final int BOX = 942;
    private static final int NEIGHBOUR = 943;
    private static final int LEAVER = 944;
    private static final int FINDER = 945;
    private final Boxes boxes;

    SupervisorHygieneTest(Boxes boxes) {
        this.boxes = boxes;
    }

    private static Map<String, String> probe(ProgramBox box, RunSpec.Builder spec) {
        Captured c = Captured.run(box, spec);
        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : c.outLines()) {
            int space = line.lastIndexOf(' ');
            out.put(line.substring(0, space), line.substring(space + 1));
        }
        return out;
    }

    private static List<String> probeCommand(String mode, List<String> paths) {
        List<String> cmd = new ArrayList<>(List.of("./probe_paths", mode));
        cmd.addAll(paths);
        return cmd;
    }

    private String launcherPath() {
        String explicit = System.getProperty(LauncherBinary.PROPERTY);
        return explicit != null ? explicit : boxes.sandbox().config().launcherDir().toString();
    }

    /** The host paths of the supervisor's own files: none exists inside a box. */
    private List<String> supervisorPaths(ProgramBox neighbour) {
        SandboxConfig c = boxes.sandbox().config();
        return List.of(launcherPath(), c.launcherDir().toString(), c.lockRoot().toString(),
                c.lockRoot().resolve(Integer.toString(BOX)).toString(), c.lockRoot().resolve(BOX + ".state").toString(),
                c.boxRoot().toString(), neighbour.workDirectory().getParent().toString(), neighbour.workDirectory().resolve("secret").toString(),
                // the box init is the launcher binary, running as root: hidepid hides it
                "/proc/1/exe", "/proc/1/root", "/proc/1/environ", "/proc/1/fd", "/proc/1/status");
    }

    @Test
    void theLauncherLocksStateAndOtherBoxesAreNotInTheBox() throws Exception {
        ProgramBox box = boxes.box(BOX);
        ProgramBox neighbour = boxes.box(NEIGHBOUR);
        Files.writeString(neighbour.workDirectory().resolve("secret"), "the neighbour's\n");
        TestPrograms.install("probe_paths", box);
        assertThat(Path.of(launcherPath())).exists();
        assertThat(boxes.sandbox().config().lockRoot().resolve(BOX + ".state")).exists();

        Map<String, String> seen = probe(box, RunSpec.of(probeCommand("read", supervisorPaths(neighbour))));

        for (String path : supervisorPaths(neighbour)) {
            assertThat(seen.get(path)).as(path).isEqualTo("ENOENT");
        }
    }

    /**
     * Defence in depth: even a careless rule binding the whole box root in, writable, leaves the
     * locks, the state, the launcher and the other boxes to their owners, because the box user is
     * neither root nor any of them.
     */
    @Test
    void evenBoundInWritableTheyStayUnreadableAndUnwritable() throws Exception {
        ProgramBox box = boxes.box(BOX);
        ProgramBox neighbour = boxes.box(NEIGHBOUR);
        Files.writeString(neighbour.workDirectory().resolve("secret"), "the neighbour's\n");
        TestPrograms.install("probe_paths", box);
        TestPrograms.install("try_create", box);
        SandboxConfig c = boxes.sandbox().config();
        var dirs = DirRules.apply(DirRules.defaults(), List.of("boxes=" + c.boxRoot() + ":rw"));
        String n = Integer.toString(NEIGHBOUR);
        List<String> locked = new ArrayList<>(List.of("/boxes/.locks", "/boxes/.locks/" + BOX, "/boxes/.locks/" + BOX + ".state",
                "/boxes/" + n + "/box", "/boxes/" + n + "/box/secret", "/boxes/" + n + "/root", "/boxes/" + n + "/tmp"));
        if (c.launcherDir().startsWith(c.boxRoot()) && Files.exists(c.launcherDir())) {
            locked.add("/boxes/" + c.launcherDir().getFileName());
        }
        if (boxes.refusesOtherTemplate(box, RunSpec.of(probeCommand("read", locked)).dirs(dirs))) {
            return;
        }

        Map<String, String> read = probe(box, RunSpec.of(probeCommand("read", locked)).dirs(dirs));
        for (String path : locked) {
            assertThat(read.get(path)).as("reading %s", path).isEqualTo("EACCES");
        }
        Captured write = Captured.run(box, RunSpec.of("./try_create", "/boxes", "/boxes/" + n, "/boxes/.locks",
                "/boxes/.locks/" + BOX, "/boxes/" + n + "/box").dirs(dirs));
        for (String line : write.outLines()) {
            assertThat(line).as("%s", write).endsWith(" EACCES");
        }
        assertThat(write.outLines()).hasSize(5);
        assertThat(Files.readString(neighbour.workDirectory().resolve("secret"))).isEqualTo("the neighbour's\n");
    }

    /**
     * Two colluding programs in two boxes running at once look for each other through every
     * shared place a process has: a file in /tmp or /dev/shm, System V shared memory, an
     * abstract unix socket. Each box has its own of each (own tmp directory, own /dev/shm tmpfs,
     * IPC and network namespaces), so nothing is found. With the network shared (an option),
     * the abstract socket is found: the test sees a channel when there is one.
     */
    @Test
    void twoBoxesRunningTogetherFindNoChannel() throws Exception {
        assertThat(findFromAnotherBox(false)).containsExactly("tmp ENOENT", "shm ENOENT", "sysv ENOENT", "socket ECONNREFUSED");
        if (boxes.refusesOtherTemplate(boxes.box(FINDER), RunSpec.of("./traces", "find").shareNetwork(true))) {
            return;
        }
        assertThat(findFromAnotherBox(true)).contains("socket ok");
    }

    private List<String> findFromAnotherBox(boolean shareNetwork) throws Exception {
        ProgramBox leaver = boxes.box(LEAVER);
        ProgramBox finder = boxes.box(FINDER);
        TestPrograms.install("traces", leaver);
        TestPrograms.install("traces", finder);
        Path ready = leaver.workDirectory().resolve("ready");
        Files.deleteIfExists(ready);
        Files.deleteIfExists(leaver.workDirectory().resolve("done"));
        Limits limits = Limits.DEFAULTS.withWallTime(Duration.ofSeconds(30));
        CompletableFuture<RunResult> leaving = CompletableFuture.supplyAsync(() -> leaver.run(RunSpec.of("./traces", "leave")
                .limits(limits).shareNetwork(shareNetwork).io(new Io(null, "leave.out", "leave.err", false)).build()));
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(ready) && !leaving.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(ready).as("the leaving program is ready").exists();

            Captured found = Captured.run(finder, RunSpec.of("./traces", "find").limits(limits).shareNetwork(shareNetwork));
            assertThat(found.result().verdict()).as("%s", found).isEqualTo(Verdict.OK);
            return found.outLines();
        } finally {
            Files.writeString(leaver.workDirectory().resolve("done"), "");
            RunResult left = leaving.get(30, TimeUnit.SECONDS);
            assertThat(left.verdict()).as("%s", left).isEqualTo(Verdict.OK);
            // It found its own traces: the probes work.
            assertThat(Files.readAllLines(leaver.workDirectory().resolve("leave.out")))
                    .containsExactly("tmp ok", "shm ok", "sysv ok", "socket ok");
        }
    }

    /**
     * The program tries to signal the box init (pid 1, the launcher, root), the JVM's and the
     * keeper's host pids (numbers that mean nothing in the box's PID namespace) and its parent.
     * None is reached: the run ends normally and the supervisor reports it.
     */
    @Test
    void signalsCannotReachTheSupervisor() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("probe_paths", box);
        String jvm = Long.toString(ProcessHandle.current().pid());

        Captured c = Captured.run(box, RunSpec.of("./probe_paths", "signal", "1", jvm).limits(Limits.DEFAULTS.withProcesses(0)));

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.outLines()).containsExactly("1 EPERM", jvm + " ESRCH");
        assertThat(ProcessHandle.current().isAlive()).isTrue();
        // and the supervisor carries on
        assertThat(Captured.run(box, "./probe_paths", "read", "/box").result().verdict()).isEqualTo(Verdict.OK);
    }

    @Test
    void hostAccountsInTheBoxIdRangeAreReportedOnceAtInit() throws Exception {
        List<String> passwd = Files.readAllLines(Path.of("/etc/passwd"));
        assumeTrue(passwd.stream().anyMatch(l -> l.startsWith("nobody:x:65534:")), "needs the usual nobody (uid 65534)");
        SandboxConfig c = boxes.sandbox().config();
        assertThat(boxes.sandbox().boxIdOverlap()).as("the default range 60000-60999 is free here").isEmpty();
        SandboxConfig clashing = new SandboxConfig(c.boxRoot().resolveSibling("clash"), 65000, 65000, 1000,
                c.launcherDir(), 0, 0, c.cgroups(), c.lockRoot().resolveSibling("clash-locks"), false);
        List<String> said = new ArrayList<>();
        try (Sandbox s = Sandbox.open(clashing)) {
            s.onWarning(said::add);
            assertThat(s.boxIdOverlap()).hasValueSatisfying(w -> assertThat(w).contains("nobody (uid 65534 in /etc/passwd)")
                    .contains("65000-65999").contains("first_uid"));
            s.box(1).init();
            s.box(2).init();
            s.box(1).cleanup();
            s.box(2).cleanup();
        }
        assertThat(said).hasSize(1);
        assertThat(said.getFirst()).contains("nobody");
    }
}
