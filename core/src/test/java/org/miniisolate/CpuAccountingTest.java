package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/** CPU time is the whole box's: children and orphans count, the sandbox's own setup does not. */
@EveryBoxKind(cgroups = true)
class CpuAccountingTest {
    private static final int BOX = 7;
    private final Boxes boxes;

    CpuAccountingTest(Boxes boxes) {
        this.boxes = boxes;
    }

    /** isolate without cgroups misses this (it reads only the main process while running). */
    @Test
    void cpuOfRunningChildrenCountsTowardsTheLimit() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("fork_busy", box);

        RunResult r = box.run(RunSpec.of("./fork_busy").limits(Limits.DEFAULTS.withProcesses(0)
                .withCpuTime(Duration.ofSeconds(1)).withWallTime(Duration.ofSeconds(10))).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.TIME_LIMIT);
        assertThat(r.killed()).isTrue();
        assertThat(r.cpuTime()).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1400));
        // Loose on purpose (shared machine): uncounted children would run into the 10 s wall limit.
        assertThat(r.wallTime()).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void cpuOfAnOrphanReapedByTheBoxInitCounts() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("orphan_burn", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withProcesses(0), "./orphan_burn", "500");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.out()).isEqualTo("orphan done\n");
        assertThat(c.result().cpuTime()).isBetween(Duration.ofMillis(490), Duration.ofMillis(1500));
    }

    @Test
    void sandboxSetupIsNotCountedAsTheProgramsCpu() {
        ProgramBox box = boxes.box(BOX);
        Duration least = Duration.ofDays(1);
        for (int i = 0; i < 3; i++) {
            RunResult r = box.run(RunSpec.of("/bin/true").build());
            assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.OK);
            least = r.cpuTime().compareTo(least) < 0 ? r.cpuTime() : least;
        }
        assertThat(least).isLessThan(Duration.ofMillis(20));
    }
}
