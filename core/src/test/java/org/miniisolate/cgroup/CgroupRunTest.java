package org.miniisolate.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.Box;
import org.miniisolate.Captured;
import org.miniisolate.HostProcesses;
import org.miniisolate.SandboxException;
import org.miniisolate.TestPrograms;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/** Real runs in cgroup mode on this machine's cgroups (hybrid here: v1 controllers, v2 core files). */
class CgroupRunTest {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    // Box ids from 701 up, each test its own: a box's uid is machine-wide, other suites running at
    // the same time use the low ids, and plain-mode runs count every process of the uid (RLIMIT_NPROC).
    private static final int BOX_STALE = 720;
    private static final int BOX_INIT = 719;

    @TempDir
    Path temp;

    @Test
    void memoryHogAboveTheLimitIsAMemoryLimitVerdictWithItsPeakNearTheLimit() {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.MEMORY)) {
            Box box = s.box(701);
            TestPrograms.install("mem_hog", box);

            Captured c = Captured.run(box, RunSpec.of("./mem_hog", "256").cgroups(CgroupLimits.memory(32 * 1024)));

            RunResult r = c.result();
            assertThat(r.verdict()).as("%s", c).isEqualTo(Verdict.MEMORY_LIMIT);
            assertThat(r.verdict().isolateStatus()).isEqualTo("SG");
            assertThat(r.oomKilled()).isTrue();
            assertThat(r.signal()).hasValue(9);
            assertThat(r.message()).isEqualTo("Caught fatal signal 9");
            assertThat(r.cgroupMemoryKib().orElseThrow()).as("peak KiB").isBetween(30L * 1024, 32L * 1024);
        }
    }

    @Test
    void peakAndOomAreCountedPerRunNotStickyAsInIsolate() {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.MEMORY)) {
            Box box = s.box(702);
            TestPrograms.install("mem_hog", box);
            Captured.run(box, RunSpec.of("./mem_hog", "256").cgroups(CgroupLimits.memory(32 * 1024)));

            Captured small = Captured.run(box, RunSpec.of("./mem_hog", "8").cgroups(CgroupLimits.memory(64 * 1024)));

            RunResult r = small.result();
            assertThat(r.verdict()).as("%s", small).isEqualTo(Verdict.OK);
            assertThat(r.oomKilled()).isFalse();
            assertThat(small.out()).contains("touched 8 MiB");
            assertThat(r.cgroupMemoryKib().orElseThrow()).as("peak KiB").isBetween(8L * 1024, 20L * 1024);
        }
    }

    @Test
    void cpuTimeCountsEveryThread() {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.CPU)) {
            assertCpuOfFourThreads(s);
        }
    }

    /** The same through v1 cpuacct and the freezer: a mount table without the v2 line, as on a pure v1 machine. */
    @Test
    void cpuTimeCountsEveryThreadThroughV1Cpuacct() throws Exception {
        Path mountinfo = temp.resolve("mountinfo-v1");
        List<String> v1 = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" - cgroup ")).toList();
        assumeTrue(v1.stream().anyMatch(l -> l.matches(".* - cgroup \\S+ \\S*\\bcpuacct\\b.*")), "needs a cgroup v1 cpuacct hierarchy");
        Files.write(mountinfo, v1);
        CgroupConfig pureV1 = new CgroupConfig("x", mountinfo, Path.of("/proc/self/cgroup"));
        try (CgroupTestSandbox s = CgroupTestSandbox.open(pureV1).require(Controller.CPU)) {
            assertThat(s.cgroups().layout().home(Controller.CPU)).isInstanceOf(Home.V1.class);
            assertCpuOfFourThreads(s);
        }
    }

    private static void assertCpuOfFourThreads(CgroupTestSandbox s) {
        Box box = s.box(703);
        TestPrograms.install("threads_busy", box);

        Captured c = Captured.run(box, RunSpec.of("./threads_busy", "4", "500")
                .limits(Limits.DEFAULTS.withProcesses(0)).cgroups(CgroupLimits.DEFAULTS));

        RunResult r = c.result();
        assertThat(r.verdict()).as("%s", c).isEqualTo(Verdict.OK);
        long seen = Long.parseLong(c.out().trim().split(" ")[1]);
        // 4 threads run on at most min(4, CPUs) CPUs: about that many times the wall time on an idle
        // machine. Other work takes its share on a busy one, so the firm check is against what the
        // process itself saw of its threads (CLOCK_PROCESS_CPUTIME_ID), and the ceiling is what the CPUs can give.
        System.out.printf("4 threads, %d CPUs: cgroup cpu %d ms, process cpu %d ms, wall %d ms (idle machine: about %d ms)%n",
                CPUS, r.cpuTime().toMillis(), seen, r.wallTime().toMillis(), Math.min(4, CPUS) * r.wallTime().toMillis());
        assertThat(r.wallTime().toMillis()).isBetween(480L, 3000L);
        assertThat(r.cpuTime().toMillis()).isBetween(seen, seen + seen / 10 + 30);
        assertThat(r.cpuTime().toMillis()).isLessThanOrEqualTo(CPUS * r.wallTime().toMillis() * 105 / 100 + 20);
    }

    @Test
    void timeLimitIsEnforcedOnTheCgroupCounter() {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.CPU)) {
            Box box = s.box(704);
            TestPrograms.install("busy", box);

            RunResult r = box.run(RunSpec.of("./busy").limits(Limits.DEFAULTS.withCpuTime(Duration.ofMillis(300)))
                    .cgroups(CgroupLimits.DEFAULTS).build());

            assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.TIME_LIMIT);
            assertThat(r.killed()).isTrue();
            assertThat(r.cpuTime().toMillis()).isBetween(300L, 450L);
        }
    }

    @Test
    void forkBombIsContainedByThePidsLimitAndCleanedUp() throws Exception {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.PIDS)) {
            Box box = s.box(705);
            TestPrograms.install("fork_bomb", box);

            Captured c = Captured.run(box, RunSpec.of("./fork_bomb", "300")
                    .limits(Limits.DEFAULTS.withProcesses(16)).cgroups(CgroupLimits.DEFAULTS));

            assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
            // pids.max stopped it, not RLIMIT_NPROC (not set in cgroup mode: the caller's, far above 16).
            String[] words = c.out().trim().split(" ");
            assertThat(c.out()).contains("error EAGAIN");
            assertThat(words[7]).satisfiesAnyOf(n -> assertThat(n).isEqualTo("unlimited"),
                    n -> assertThat(Long.parseLong(n)).isGreaterThan(1000));
            int forks = Integer.parseInt(words[1]);
            assertThat(forks).isBetween(1, 15);
            assertThat(HostProcesses.awaitNoneWithUid(box.identity().uid(), Duration.ofSeconds(5))).isEmpty();
            assertThat(s.boxCgroups()).isEmpty();
        }
    }

    @Test
    void noCgroupIsLeftAfterManyRuns() {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.MEMORY)) {
            Box box = s.box(706);
            Box plainBox = s.plainBox(709); // a box serves one mode, as in isolate
            RunSpec cg = RunSpec.of("/bin/true").cgroups(CgroupLimits.memory(64 * 1024)).build();
            RunSpec plain = RunSpec.of("/bin/true").build();
            for (int i = 0; i < 10; i++) {
                box.run(cg); // warm-up
                plainBox.run(plain);
            }
            long plainStart = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                assertThat(plainBox.run(plain).verdict()).isEqualTo(Verdict.OK);
            }
            long plainNanos = (System.nanoTime() - plainStart) / 50;
            long cgStart = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                RunResult r = box.run(cg);
                assertThat(r.verdict()).as("run %d: %s", i, r).isEqualTo(Verdict.OK);
                assertThat(r.cgroupMemoryKib()).isPresent();
            }
            long cgNanos = (System.nanoTime() - cgStart) / 200;
            System.out.printf("/bin/true: %.2f ms per run plain, %.2f ms in cgroup mode (%s)%n",
                    plainNanos / 1e6, cgNanos / 1e6, s.cgroups().roots());
            assertThat(s.boxCgroups()).isEmpty();
        }
    }

    @Test
    void staleCgroupOfAKilledRunIsReapedAtTheNextRun() throws Exception {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.MEMORY)) {
            Box box = s.box(BOX_STALE);
            TestPrograms.install("mem_hog", box);
            // What a run killed with its JVM leaves: box cgroups with a process still in them and its limits.
            List<Path> stale = new ArrayList<>();
            for (Path root : s.cgroups().roots()) {
                Files.createDirectories(root);
                stale.add(Files.createDirectory(root.resolve("box-" + BOX_STALE)));
            }
            Path memory = s.cgroups().layout().usable(Controller.MEMORY).orElseThrow().base().resolve(s.name()).resolve("box-" + BOX_STALE);
            Files.writeString(memory.resolve("memory.limit_in_bytes"), "1048576");
            Process survivor = new ProcessBuilder("sleep", "60").start();
            try {
                Files.writeString(memory.resolve("cgroup.procs"), Long.toString(survivor.pid()));
                for (Path dir : stale) {
                    // and into the v2 one, if any (a v1 cpuset without CPUs would refuse it)
                    if (s.cgroups().layout().home(Controller.KILL) instanceof Home.V2 v2 && dir.startsWith(v2.base())) {
                        Files.writeString(dir.resolve("cgroup.procs"), Long.toString(survivor.pid()));
                    }
                }

                Captured c = Captured.run(box, RunSpec.of("./mem_hog", "8").cgroups(CgroupLimits.DEFAULTS));

                assertThat(c.result().verdict()).as("fresh cgroup, not the stale 1 MiB limit: %s", c).isEqualTo(Verdict.OK);
                assertThat(survivor.waitFor(5, TimeUnit.SECONDS)).as("the stale cgroup's process is killed").isTrue();
                assertThat(s.boxCgroups()).isEmpty();
            } finally {
                survivor.destroyForcibly();
            }
        }
    }

    @Test
    void boxInitReapsAStaleCgroupToo() throws Exception {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.MEMORY)) {
            Path root = s.cgroups().roots().getFirst();
            Files.createDirectories(root.resolve("box-" + BOX_INIT));

            s.box(BOX_INIT);

            assertThat(s.boxCgroups()).isEmpty();
        }
    }

    @Test
    void cpusetKeepsTheBoxOnItsCpus() {
        assumeTrue(CPUS >= 2, "needs two CPUs to see a difference");
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.CPUSET)) {
            Box box = s.box(707);
            TestPrograms.install("threads_busy", box);

            RunResult r = box.run(RunSpec.of("./threads_busy", "2", "400").limits(Limits.DEFAULTS.withProcesses(0))
                    .cgroups(CgroupLimits.DEFAULTS.withCpuset("0", null)).build());

            assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.OK);
            assertThat(r.cpuTime().toMillis()).as("one CPU's worth").isLessThanOrEqualTo(r.wallTime().toMillis() + 30);
        }
    }

    @Test
    void withoutCgroupsTheRunGoesOnAndTheMissingControllerIsSaidOnce() throws Exception {
        Path mountinfo = Files.writeString(temp.resolve("mountinfo-none"), "22 1 0:21 / / rw,relatime - ext4 /dev/vda rw\n");
        CgroupConfig none = new CgroupConfig("x", mountinfo, Path.of("/proc/self/cgroup"));
        try (CgroupTestSandbox s = CgroupTestSandbox.open(none)) {
            List<CgroupWarning> warnings = new ArrayList<>();
            s.cgroups().onWarning(warnings::add);
            Box box = s.box(708);
            TestPrograms.install("mem_hog", box);
            RunSpec.Builder spec = RunSpec.of("./mem_hog", "8").cgroups(CgroupLimits.memory(1024));

            RunResult first = Captured.run(box, spec).result();
            RunResult second = Captured.run(box, spec).result();

            assertThat(first.verdict()).as("%s", first).isEqualTo(Verdict.OK);
            assertThat(second.verdict()).as("%s", second).isEqualTo(Verdict.OK);
            assertThat(first.cgroupMemoryKib()).isEmpty();
            assertThat(warnings).singleElement().satisfies(w -> {
                assertThat(w.controller()).isEqualTo(Controller.MEMORY);
                assertThat(w.message()).contains("memory limit is not enforced", "Fix:");
            });
            assertThatThrownBy(() -> box.run(RunSpec.of("./mem_hog", "8").cgroups(CgroupLimits.memory(1024).withStrict(true)).build()))
                    .isInstanceOf(SandboxException.class)
                    .hasMessageContaining("strict")
                    .hasMessageContaining("memory");
        }
    }
}
