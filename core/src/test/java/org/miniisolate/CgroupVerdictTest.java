package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.miniisolate.cgroup.Controller;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * What cgroups add to a run (memory limit and peak, OOM kills, CPU of every thread, pids, cpuset,
 * nothing left behind), the same in a fresh box and in a pooled one, where each run gets fresh
 * cgroups of its own: no figure of one run reaches the next. Box ids from 701 up, each test its
 * own (a box's uid is machine-wide).
 */
@EveryBoxKind(plain = false, cgroups = true)
public class CgroupVerdictTest {
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    private final Boxes boxes;

    CgroupVerdictTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void memoryHogAboveTheLimitIsAMemoryLimitVerdictWithItsPeakNearTheLimit() {
        ProgramBox box = boxes.box(701);
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

    @Test
    void peakAndOomAreCountedPerRunNotStickyAsInIsolate() {
        ProgramBox box = boxes.box(702);
        TestPrograms.install("mem_hog", box);
        Captured.run(box, RunSpec.of("./mem_hog", "256").cgroups(CgroupLimits.memory(32 * 1024)));

        Captured small = Captured.run(box, RunSpec.of("./mem_hog", "8").cgroups(CgroupLimits.memory(64 * 1024)));

        RunResult r = small.result();
        assertThat(r.verdict()).as("%s", small).isEqualTo(Verdict.OK);
        assertThat(r.oomKilled()).isFalse();
        assertThat(small.out()).contains("touched 8 MiB");
        assertThat(r.cgroupMemoryKib().orElseThrow()).as("peak KiB").isBetween(8L * 1024, 20L * 1024);
    }

    @Test
    void cpuTimeCountsEveryThread() {
        boxes.require(Controller.CPU);
        assertCpuOfFourThreads(boxes.box(703));
    }

    /** Four threads busy for 500 ms of wall time each: the box's CPU time is all of theirs. */
    public static void assertCpuOfFourThreads(ProgramBox box) {
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
        boxes.require(Controller.CPU);
        ProgramBox box = boxes.box(704);
        TestPrograms.install("busy", box);

        RunResult r = box.run(RunSpec.of("./busy").limits(Limits.DEFAULTS.withCpuTime(Duration.ofMillis(300)))
                .cgroups(CgroupLimits.DEFAULTS).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.TIME_LIMIT);
        assertThat(r.killed()).isTrue();
        assertThat(r.cpuTime().toMillis()).isBetween(300L, 450L);
    }

    @Test
    void forkBombIsContainedByThePidsLimitAndCleanedUp() throws Exception {
        boxes.require(Controller.PIDS);
        ProgramBox box = boxes.box(705);
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
        assertThat(boxes.boxCgroups()).isEmpty();
    }

    @Test
    void everyRunRemovesItsCgroups() {
        ProgramBox box = boxes.box(706);
        RunSpec cg = RunSpec.of("/bin/true").cgroups(CgroupLimits.memory(64 * 1024)).build();
        for (int i = 0; i < 50; i++) {
            RunResult r = box.run(cg);
            assertThat(r.verdict()).as("run %d: %s", i, r).isEqualTo(Verdict.OK);
            assertThat(r.cgroupMemoryKib()).isPresent();
        }
        assertThat(boxes.boxCgroups()).isEmpty();
    }

    @Test
    void cpusetKeepsTheBoxOnItsCpus() {
        assumeTrue(CPUS >= 2, "needs two CPUs to see a difference");
        boxes.require(Controller.CPUSET);
        ProgramBox box = boxes.box(707);
        TestPrograms.install("threads_busy", box);

        RunResult r = box.run(RunSpec.of("./threads_busy", "2", "400").limits(Limits.DEFAULTS.withProcesses(0))
                .cgroups(CgroupLimits.DEFAULTS.withCpuset("0", null)).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.OK);
        assertThat(r.cpuTime().toMillis()).as("one CPU's worth").isLessThanOrEqualTo(r.wallTime().toMillis() + 30);
    }
}
