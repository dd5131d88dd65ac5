package org.miniisolate.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.spec.CgroupLimits;

/**
 * The machine's real cgroup v2 tree, for what it offers (on a hybrid machine: core files only):
 * a box cgroup created under the project's directory, CPU time from cpu.stat, kill-all through
 * cgroup.kill, removal.
 */
class RealV2CgroupTest {
    @Test
    void boxCgroupInTheUnifiedTreeCountsCpuAndKillsEverything() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root");
        CgroupLayout real = CgroupDiscovery.of(CgroupConfig.defaults(), true).discover();
        assumeTrue(real.home(Controller.KILL) instanceof Home.V2, "needs a writable cgroup v2 tree: " + real.home(Controller.KILL).describe());
        // Only what the v2 tree offers: the rest of the machine stays out of this test.
        Map<Controller, Home> v2Only = new EnumMap<>(Controller.class);
        for (Controller c : Controller.values()) {
            v2Only.put(c, real.home(c) instanceof Home.V2 ? real.home(c) : new Home.Missing("left out", "none"));
        }
        CgroupLayout layout = new CgroupLayout(real.mounts(), v2Only);
        String name = "mini-isolate-test-" + ProcessHandle.current().pid() + "-v2";
        Path parent = ((Home.V2) real.home(Controller.KILL)).base().resolve(name);
        Process busy = null;
        try (BoxCgroup cg = BoxCgroup.create(CgroupFs.real(), layout, name, 0, CgroupLimits.DEFAULTS, 0)) {
            Path dir = cg.directories().getFirst();
            assertThat(dir).isEqualTo(parent.resolve("box-0"));
            assertThat(dir.resolve("cgroup.kill")).exists();
            assertThat(dir.resolve("cpu.stat")).exists();
            assertThat(cg.countsCpu()).isTrue();
            assertThat(cg.cpuNanos()).isZero();

            busy = new ProcessBuilder("sh", "-c", "while :; do :; done").start();
            Files.writeString(Path.of(cg.procsFiles().getFirst()), Long.toString(busy.pid()));
            // Until the loop has had 100 ms of CPU, however busy the machine: a fixed sleep fails under load.
            long start = System.nanoTime();
            long cpu = 0;
            while (cpu < 100_000_000L && System.nanoTime() - start < 20_000_000_000L) {
                Thread.sleep(20);
                cpu = cg.cpuNanos();
            }
            long wall = System.nanoTime() - start;
            // One single-threaded loop: never more CPU than wall time.
            assertThat(cpu).as("cpu.stat usage_usec of the busy loop, ns").isBetween(100_000_000L, wall + 50_000_000L);

            cg.kill();

            assertThat(busy.waitFor(5, TimeUnit.SECONDS)).as("killed through cgroup.kill").isTrue();
            assertThat(busy.exitValue()).isEqualTo(128 + 9);
            assertThat(cg.usage().cpuNanos().orElseThrow()).isGreaterThanOrEqualTo(cpu);
        } finally {
            if (busy != null) {
                busy.destroyForcibly();
            }
            assertThat(parent.resolve("box-0")).doesNotExist();
            Files.deleteIfExists(parent);
        }
    }
}
