package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.miniisolate.cgroup.Controller;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.RunSpec;

/**
 * Live figures and kill-all of a running box, from another thread, in fresh and pooled boxes.
 * Live figures come from cgroups (cgroup kinds only); plain runs can be killed but show none
 * (plain kinds only). Box ids 721 up: see CgroupVerdictTest.
 */
@EveryBoxKind(cgroups = true)
class RunControlTest {
    private final Boxes boxes;

    RunControlTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void liveMemoryAndCpuOfARunningBoxThenKillAll() throws Exception {
        assumeTrue(boxes.kind().cgroups(), "live figures come from the run's cgroups");
        ProgramBox box = boxes.box(721);
        TestPrograms.install("hold_memory", box);
        RunControl control = new RunControl();

        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(
                () -> box.run(RunSpec.of("./hold_memory", "24").cgroups(CgroupLimits.memory(64 * 1024)).build(), control));
        try {
            assertLiveFiguresThenKill(control, run);
        } finally {
            control.kill();
            run.get(10, TimeUnit.SECONDS);
        }
    }

    private void assertLiveFiguresThenKill(RunControl control, CompletableFuture<RunResult> run) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        OptionalLong memory = OptionalLong.empty();
        while (System.nanoTime() < deadline && (memory.isEmpty() || memory.getAsLong() < 24L << 20)) {
            Thread.sleep(10);
            memory = control.memoryBytes();
        }
        assertThat(memory).as("memory charged to the box while it runs").isPresent();
        assertThat(memory.getAsLong()).isBetween(24L << 20, 40L << 20);
        assertThat(control.isRunning()).isTrue();
        assertThat(control.cpuNanos()).isPresent();
        long killedAt = System.nanoTime();

        control.kill();
        RunResult r = run.get(10, TimeUnit.SECONDS);

        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.INTERRUPTED);
        assertThat(r.killed()).isTrue();
        assertThat(r.cgroupMemoryKib().orElseThrow()).isGreaterThanOrEqualTo(24L * 1024);
        assertThat(control.isRunning()).isFalse();
        assertThat(control.memoryBytes()).isEmpty();
        assertThat(boxes.boxCgroups()).isEmpty();
    }

    @Test
    void plainRunsCanBeKilledTooButHaveNoLiveFigures() throws Exception {
        assumeFalse(boxes.kind().cgroups(), "about runs without cgroups");
        ProgramBox box = boxes.box(722);
        TestPrograms.install("hold_memory", box);
        RunControl control = new RunControl();

        CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(
                () -> box.run(RunSpec.of("./hold_memory", "1").build(), control));
        try {
            while (!control.isRunning()) {
                Thread.sleep(5);
            }
            assertThat(control.cpuNanos()).isEmpty();
            assertThat(control.memoryBytes()).isEmpty();
        } finally {
            control.kill();
        }

        RunResult r = run.get(10, TimeUnit.SECONDS);
        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.INTERRUPTED);
    }

    @Test
    void aKillBeforeTheStartStopsTheRunAsSoonAsItStarts() {
        if (boxes.kind().cgroups()) {
            boxes.require(Controller.KILL);
        }
        ProgramBox box = boxes.box(723);
        TestPrograms.install("hold_memory", box);
        RunControl control = new RunControl();
        control.kill();

        RunResult r = box.run(RunSpec.of("./hold_memory", "1").build(), control);

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.INTERRUPTED);
        if (boxes.kind().cgroups()) {
            assertThat(boxes.boxCgroups()).isEmpty();
        }
    }
}
