package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * CPU, wall and extra time as isolate applies them. The CPU kill window is asserted tightly on
 * purpose (the watchdog promises to stop a runaway within a small fraction of the limit); every
 * other timing is asserted loosely, the machine is shared.
 */
@EveryBoxKind(cgroups = true)
class TimeLimitsTest {
    private static final int BOX = 2;
    private final Boxes boxes;

    TimeLimitsTest(Boxes boxes) {
        this.boxes = boxes;
    }

    private static Duration s(double seconds) {
        return Duration.ofMillis(Math.round(seconds * 1000));
    }

    @Test
    void busyLoopIsKilledAtCpuLimit() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("busy", box);

        RunResult r = box.run(RunSpec.of("./busy").limits(Limits.DEFAULTS.withCpuTime(s(1))).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.TIME_LIMIT);
        assertThat(r.killed()).isTrue();
        assertThat(r.exitCode()).isEmpty();
        assertThat(r.signal()).isEmpty();
        assertThat(r.message()).isEqualTo("Time limit exceeded");
        assertThat(r.cpuTime()).isBetween(s(1.0), s(1.2));
    }

    @Test
    void sleeperIsKilledAtWallLimit() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("sleeper", box);

        RunResult r = box.run(RunSpec.of("./sleeper", "30").limits(Limits.DEFAULTS.withWallTime(s(1))).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.WALL_TIME_LIMIT);
        assertThat(r.killed()).isTrue();
        assertThat(r.message()).isEqualTo("Time limit exceeded (wall clock)");
        assertThat(r.wallTime()).isBetween(s(1.0), s(5));
        assertThat(r.cpuTime()).isLessThan(s(0.2));
    }

    @Test
    void extraTimeAboveCpuLimitMovesTheKillToIt() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("busy", box);

        RunResult r = box.run(RunSpec.of("./busy")
                .limits(Limits.DEFAULTS.withCpuTime(s(1)).withExtraTime(s(2))).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.TIME_LIMIT);
        assertThat(r.killed()).isTrue();
        assertThat(r.cpuTime()).isBetween(s(2.0), s(2.5));
    }

    @Test
    void extraTimeBelowCpuLimitKillsAtTheCpuLimit() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("busy", box);

        RunResult r = box.run(RunSpec.of("./busy")
                .limits(Limits.DEFAULTS.withCpuTime(s(1)).withExtraTime(s(0.5))).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.TIME_LIMIT);
        assertThat(r.killed()).isTrue();
        assertThat(r.cpuTime()).isBetween(s(1.0), s(1.3));
    }

    @Test
    void finishingOverTheLimitWithinExtraTimeIsTimeLimitWithoutKill() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("burn", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withCpuTime(s(1)).withExtraTime(s(3)), "./burn", "1500");

        RunResult r = c.result();
        assertThat(r.verdict()).as("%s", c).isEqualTo(Verdict.TIME_LIMIT);
        assertThat(r.killed()).isFalse();
        assertThat(r.exitCode()).isEmpty();
        assertThat(c.out()).startsWith("burned ");
        assertThat(r.cpuTime()).isBetween(s(1.5), s(2.5));
    }
}
