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
import org.miniisolate.CgroupVerdictTest;
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
    void cpuTimeCountsEveryThreadThroughV1Cpuacct() throws Exception {
        Path mountinfo = temp.resolve("mountinfo-v1");
        List<String> v1 = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(l -> l.contains(" - cgroup ")).toList();
        assumeTrue(v1.stream().anyMatch(l -> l.matches(".* - cgroup \\S+ \\S*\\bcpuacct\\b.*")), "needs a cgroup v1 cpuacct hierarchy");
        Files.write(mountinfo, v1);
        CgroupConfig pureV1 = new CgroupConfig("x", mountinfo, Path.of("/proc/self/cgroup"));
        try (CgroupTestSandbox s = CgroupTestSandbox.open(pureV1).require(Controller.CPU)) {
            assertThat(s.cgroups().layout().home(Controller.CPU)).isInstanceOf(Home.V1.class);
            CgroupVerdictTest.assertCpuOfFourThreads(s.box(703));
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
