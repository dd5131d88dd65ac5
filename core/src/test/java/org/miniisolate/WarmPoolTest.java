package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * Warm pooled boxes give the same verdicts and accounting as fresh boxes, and nothing of one
 * lease reaches the next. Each verdict case runs both ways and compares.
 */
class WarmPoolTest {
    static TestBoxes boxes;
    static BoxPool pool;

    @BeforeAll
    static void open() {
        boxes = TestBoxes.open();
        pool = BoxPool.open(boxes.sandbox(), BoxPool.Template.DEFAULT, List.of(51, 52));
    }

    @AfterAll
    static void close() {
        if (pool != null) {
            pool.close();
        }
        if (boxes != null) {
            boxes.close();
        }
    }

    /** The same spec in a fresh box and in a pooled one. */
    private static List<RunResult> both(RunSpec spec) {
        RunResult fresh = boxes.box(53).run(spec);
        RunResult warm;
        try (PooledBox box = pool.lease()) {
            warm = box.run(spec);
        }
        return List.of(fresh, warm);
    }

    private static void sameVerdict(RunSpec spec, Function<RunResult, Object> also) {
        List<RunResult> r = both(spec);
        assertThat(r.get(1).verdict()).as("pooled vs fresh: %s", r).isEqualTo(r.get(0).verdict());
        assertThat(r.get(1).exitCode()).isEqualTo(r.get(0).exitCode());
        assertThat(r.get(1).signal()).isEqualTo(r.get(0).signal());
        assertThat(also.apply(r.get(1))).isEqualTo(also.apply(r.get(0)));
    }

    @Test
    void exitCodesSignalsAndExecFailuresAreTheSame() {
        sameVerdict(RunSpec.of("/bin/sh", "-c", "exit 7").build(), RunResult::message);
        sameVerdict(RunSpec.of("/bin/sh", "-c", "kill -SEGV $$").build(), RunResult::message);
        sameVerdict(RunSpec.of("/bin/true").build(), RunResult::message);
        sameVerdict(RunSpec.of("/nonexistent").build(), RunResult::message);
    }

    @Test
    void cpuAndWallLimitsAreEnforcedTheSameWay() {
        RunSpec busy = RunSpec.of("/bin/sh", "-c", "while :; do :; done")
                .limits(Limits.DEFAULTS.withCpuTime(Duration.ofSeconds(1))).build();
        for (RunResult r : both(busy)) {
            assertThat(r.verdict()).isEqualTo(Verdict.TIME_LIMIT);
            assertThat(r.killed()).isTrue();
            assertThat(r.cpuTime()).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1200));
        }
        RunSpec sleepy = RunSpec.of("/bin/sleep", "5").limits(Limits.DEFAULTS.withWallTime(Duration.ofMillis(500))).build();
        for (RunResult r : both(sleepy)) {
            assertThat(r.verdict()).isEqualTo(Verdict.WALL_TIME_LIMIT);
            assertThat(r.wallTime()).isBetween(Duration.ofMillis(500), Duration.ofMillis(900));
        }
    }

    @Test
    void cpuOfEveryRunIsItsOwn() {
        try (PooledBox box = pool.lease()) {
            RunResult burn = box.run(RunSpec.of("/bin/sh", "-c", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done").build());
            assertThat(burn.cpuTime()).isGreaterThan(Duration.ofMillis(50));
            RunResult idle = box.run(RunSpec.of("/bin/true").build());
            assertThat(idle.cpuTime()).isLessThan(Duration.ofMillis(30));
            assertThat(idle.maxRssKib()).isPositive().isLessThan(burn.maxRssKib() + 10_000);
        }
    }

    @Test
    void nothingOfOneLeaseReachesTheNext() throws Exception {
        Limits forks = Limits.DEFAULTS.withProcesses(0);
        int id;
        try (PooledBox box = pool.lease()) {
            id = box.id();
            Files.writeString(box.workDirectory().resolve("in.txt"), "from the caller");
            RunResult r = box.run(RunSpec.of("/bin/sh", "-c",
                    "cat in.txt > out.txt; echo t > /tmp/t; echo s > /dev/shm/s; ipcmk -M 4096 > /dev/null; (sleep 1000 &) ")
                    .limits(forks).io(new Io(null, "log.txt", null, false)).build());
            assertThat(r.verdict()).isEqualTo(Verdict.OK);
            assertThat(Files.readString(box.workDirectory().resolve("out.txt"))).isEqualTo("from the caller");
            assertThat(HostProcesses.withUid(60000 + id)).isEmpty();
        }
        // lease every box until we get the same one back
        for (int attempt = 0; attempt < 4; attempt++) {
            try (PooledBox box = pool.lease()) {
                if (box.id() != id) {
                    continue;
                }
                try (var files = Files.list(box.workDirectory())) {
                    assertThat(files).isEmpty();
                }
                RunResult r = box.run(RunSpec.of("/bin/sh", "-c",
                        "test ! -e /tmp/t && test ! -e /dev/shm/s && [ $(ipcs -m | grep -c 0x) -eq 0 ]").limits(forks).build());
                assertThat(r.verdict()).as(r.message()).isEqualTo(Verdict.OK);
                return;
            }
        }
        throw new AssertionError("never got box " + id + " back");
    }

    @Test
    void pooledProgramsAreConfinedLikeFreshOnes() throws Exception {
        try (PooledBox box = pool.lease()) {
            RunResult r = box.run(RunSpec.of("/bin/sh", "-c",
                    "id -u > id; grep -E '^Cap(Eff|Prm|Bnd)' /proc/self/status > caps; ls /proc | grep -c '^[0-9]' > procs; hostname > host")
                    .limits(Limits.DEFAULTS.withProcesses(0)).build());
            assertThat(r.verdict()).isEqualTo(Verdict.OK);
            assertThat(Files.readString(box.workDirectory().resolve("id")).trim()).isEqualTo(Integer.toString(60000 + box.id()));
            assertThat(Files.readString(box.workDirectory().resolve("caps"))).doesNotContain("1").contains("0000000000000000");
            assertThat(Integer.parseInt(Files.readString(box.workDirectory().resolve("procs")).trim())).isLessThanOrEqualTo(3);
            assertThat(Files.readString(box.workDirectory().resolve("host")).trim()).isEqualTo("box-" + box.id());
        }
    }

    @Test
    void aBoxKilledOutrightIsRebuiltNotReused() throws Exception {
        PooledBox box = pool.lease();
        int id = box.id();
        CompletableFuture<RunResult> running = CompletableFuture.supplyAsync(() -> box.run(RunSpec.of("/bin/sleep", "30").build()));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (HostProcesses.withUid(60000 + id).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        // kill the warm box's whole launcher, as a crash would
        java.lang.reflect.Field f = PooledBox.class.getDeclaredField("slot");
        f.setAccessible(true);
        BoxPool.Slot slot = (BoxPool.Slot) f.get(box);
        int keeper = (int) ProcessHandle.of(slot.warm.initPid()).flatMap(ProcessHandle::parent).orElseThrow().pid();
        org.miniisolate.nativeio.Libc.kill(keeper, 9);
        RunResult r = running.get();
        assertThat(r.verdict()).isIn(Verdict.INTERNAL_ERROR, Verdict.SIGNALED);
        assertThatThrownBy(() -> box.run(RunSpec.of("/bin/true").build())).isInstanceOf(SandboxException.class);
        box.close();
        assertThat(HostProcesses.awaitNoneWithUid(60000 + id, Duration.ofSeconds(5))).isEmpty();
        // the pool still serves two working boxes
        try (PooledBox a = pool.lease(); PooledBox b = pool.lease()) {
            assertThat(a.run(RunSpec.of("/bin/true").build()).verdict()).isEqualTo(Verdict.OK);
            assertThat(b.run(RunSpec.of("/bin/true").build()).verdict()).isEqualTo(Verdict.OK);
        }
    }

    @Test
    void aSpecOutsideTheTemplateIsRefused() {
        try (PooledBox box = pool.lease()) {
            assertThatThrownBy(() -> box.run(RunSpec.of("/bin/true").shareNetwork(true).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("template");
            assertThatThrownBy(() -> box.run(RunSpec.of("/bin/true").cgroups(org.miniisolate.spec.CgroupLimits.DEFAULTS).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("built for plain runs");
            assertThat(box.run(RunSpec.of("/bin/true").build()).verdict()).isEqualTo(Verdict.OK);
        }
    }
}
