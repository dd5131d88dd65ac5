package org.miniisolate.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.miniisolate.Box;
import org.miniisolate.RunControl;
import org.miniisolate.TestPrograms;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.RunSpec;

/** Live figures and kill-all of a running box, from another thread. Box ids 721 up: see CgroupRunTest. */
class RunControlTest {
    @Test
    void liveMemoryAndCpuOfARunningBoxThenKillAll() throws Exception {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.MEMORY)) {
            Box box = s.box(721);
            TestPrograms.install("hold_memory", box);
            RunControl control = new RunControl();

            CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(
                    () -> box.run(RunSpec.of("./hold_memory", "24").cgroups(CgroupLimits.memory(64 * 1024)).build(), control));
            try {
                assertLiveFiguresThenKill(s, control, run);
            } finally {
                control.kill();
                run.get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static void assertLiveFiguresThenKill(CgroupTestSandbox s, RunControl control, CompletableFuture<RunResult> run)
            throws Exception {
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
        assertThat(s.boxCgroups()).isEmpty();
    }

    @Test
    void plainRunsCanBeKilledTooButHaveNoLiveFigures() throws Exception {
        try (CgroupTestSandbox s = CgroupTestSandbox.open()) {
            Box box = s.plainBox(722);
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
    }

    @Test
    void aKillBeforeTheStartStopsTheRunAsSoonAsItStarts() {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.KILL)) {
            Box box = s.box(723);
            TestPrograms.install("hold_memory", box);
            RunControl control = new RunControl();
            control.kill();

            RunResult r = box.run(RunSpec.of("./hold_memory", "1").cgroups(CgroupLimits.DEFAULTS).build(), control);

            assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.INTERRUPTED);
            assertThat(s.boxCgroups()).isEmpty();
        }
    }
}
