package org.miniisolate.cgroup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.spec.CgroupLimits;

/**
 * Box cgroups on fake trees: the v2 memory and pids files this machine's v2 mount does not offer,
 * and the v1 rules (memsw ordering, cpuset inheritance) without touching the real hierarchies.
 */
class BoxCgroupFakeTreeTest {
    @TempDir
    Path temp;

    private CgroupLayout pureV2(FakeCgroupTree t) {
        t.v2("cgroup", "cpuset", "cpu", "memory", "pids");
        t.self("0::/");
        return t.discovery(true, p -> true).discover();
    }

    @Test
    void v2BoxGetsItsLimitsAndParentEnablesTheControllers() throws Exception {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        CgroupLayout layout = pureV2(t);
        Path parent = temp.resolve("cgroup/mini-isolate");
        Path box = parent.resolve("box-3");

        try (BoxCgroup cg = BoxCgroup.create(t, layout, "mini-isolate", 3, CgroupLimits.memory(65536).withCpuset("1", "0"), 10)) {
            assertThat(Files.readString(parent.resolve("cgroup.subtree_control")).split(" "))
                    .contains("memory", "pids", "cpuset");
            assertThat(Files.readString(box.resolve("memory.max"))).isEqualTo("67108864");
            assertThat(Files.readString(box.resolve("memory.swap.max"))).isEqualTo("0");
            assertThat(Files.readString(box.resolve("pids.max"))).isEqualTo("10");
            assertThat(Files.readString(box.resolve("cpuset.cpus"))).isEqualTo("1");
            assertThat(Files.readString(box.resolve("cpuset.mems"))).isEqualTo("0");
            assertThat(cg.procsFiles()).containsExactly(box.resolve("cgroup.procs").toString());
            assertThat(cg.limitsProcesses()).isTrue();
            assertThat(cg.countsCpu()).isTrue();
            assertThat(cg.countsMemory()).isTrue();

            // What the kernel would have counted by the end of a run.
            t.set(box.resolve("cpu.stat"), "usage_usec 1500123\nuser_usec 1000000\nsystem_usec 500123\n");
            t.set(box.resolve("memory.current"), "4096\n");
            t.set(box.resolve("memory.peak"), "33554432\n");
            t.set(box.resolve("memory.events"), "low 0\nhigh 0\nmax 7\noom 1\noom_kill 1\noom_group_kill 0\n");
            assertThat(cg.cpuNanos()).isEqualTo(1_500_123_000L);
            assertThat(cg.memoryBytes()).hasValue(4096);
            assertThat(cg.usage()).isEqualTo(new CgroupUsage(OptionalLong.of(1_500_123_000L), OptionalLong.of(33554432), 1));
            assertThat(cg.usage().oomKilled()).isTrue();
        }
        assertThat(box).doesNotExist();
        assertThat(parent).isDirectory();
    }

    @Test
    void v2WithoutLimitsWritesNoLimitFilesAndSkipsPids() throws Exception {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        CgroupLayout layout = pureV2(t);

        try (BoxCgroup cg = BoxCgroup.create(t, layout, "mini-isolate", 0, CgroupLimits.DEFAULTS, 0)) {
            assertThat(cg.limitsProcesses()).isFalse();
            assertThat(t.writes()).containsExactly("cgroup/mini-isolate/cgroup.subtree_control=+memory");
            assertThat(cg.usage()).isEqualTo(new CgroupUsage(OptionalLong.of(0), OptionalLong.of(0), 0));
        }
    }

    @Test
    void v2KillWritesCgroupKillAndRemovalWaitsForTheCgroupToEmpty() throws Exception {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        CgroupLayout layout = pureV2(t);
        BoxCgroup cg = BoxCgroup.create(t, layout, "mini-isolate", 1, CgroupLimits.DEFAULTS, 0);
        Path box = temp.resolve("cgroup/mini-isolate/box-1");
        t.addProcess(box, 999_999_999);

        cg.close();

        assertThat(t.writes()).contains("cgroup/mini-isolate/box-1/cgroup.kill=1");
        assertThat(box).doesNotExist();
    }

    @Test
    void staleBoxCgroupOfACrashedRunIsKilledAndReplacedByAFreshOne() throws Exception {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        CgroupLayout layout = pureV2(t);
        BoxCgroup.create(t, layout, "mini-isolate", 2, CgroupLimits.memory(1024), 0); // "crashes": never closed
        Path box = temp.resolve("cgroup/mini-isolate/box-2");
        t.addProcess(box, 999_999_998);
        t.set(box.resolve("memory.peak"), "999\n");

        try (BoxCgroup cg = BoxCgroup.create(t, layout, "mini-isolate", 2, CgroupLimits.DEFAULTS, 0)) {
            assertThat(t.writes()).contains("cgroup/mini-isolate/box-2/cgroup.kill=1");
            assertThat(Files.readString(box.resolve("memory.max")).trim()).isEqualTo("max");
            assertThat(cg.usage().peakBytes()).hasValue(0);
        }
        assertThat(box).doesNotExist();
    }

    @Test
    void reapRemovesWhatACrashedRunLeft() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        CgroupLayout layout = pureV2(t);
        BoxCgroup.create(t, layout, "mini-isolate", 4, CgroupLimits.DEFAULTS, 3);

        BoxCgroup.reap(t, layout, "mini-isolate", 4);
        BoxCgroup.reap(t, layout, "mini-isolate", 5); // nothing there: nothing to do

        assertThat(temp.resolve("cgroup/mini-isolate/box-4")).doesNotExist();
    }

    @Test
    void failedSetupLeavesNothingBehindAndNamesTheFile() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        t.v2("cgroup", "cpuset", "cpu", "memory", "pids");
        t.self("0::/");
        CgroupLayout layout = t.discovery(true, p -> true).discover();
        // The project's directory exists but its parent no longer offers pids: enabling it fails.
        t.existing(temp.resolve("cgroup/mini-isolate"));
        t.set(temp.resolve("cgroup/mini-isolate/cgroup.controllers"), "memory");

        assertThatThrownBy(() -> BoxCgroup.create(t, layout, "mini-isolate", 6, CgroupLimits.DEFAULTS, 5))
                .isInstanceOf(CgroupException.class)
                .hasMessageContaining("box 6")
                .hasMessageContaining("cgroup.subtree_control");
        assertThat(temp.resolve("cgroup/mini-isolate/box-6")).doesNotExist();
    }

    @Test
    void v1WritesMemoryBeforeMemswAndFillsTheCpusetsItCreates() throws Exception {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        t.v1("memory", "memory");
        t.v1("cpuacct", "cpuacct");
        t.v1("cpuset", "cpuset");
        t.v1("pids", "pids");
        t.v1("freezer", "freezer");
        t.self("4:memory:/");
        CgroupLayout layout = t.discovery(true, p -> true).discover();

        try (BoxCgroup cg = BoxCgroup.create(t, layout, "mi", 7, CgroupLimits.memory(1024).withCpuset("1", null), 4)) {
            List<String> w = new ArrayList<>(t.writes());
            assertThat(w).containsSubsequence("memory/mi/box-7/memory.limit_in_bytes=1048576",
                    "memory/mi/box-7/memory.memsw.limit_in_bytes=1048576");
            // The new parent cpuset is given its parent's CPUs and nodes before the box's own is written.
            assertThat(w).containsSubsequence("cpuset/mi/cpuset.cpus=0-1", "cpuset/mi/cpuset.mems=0",
                    "cpuset/mi/box-7/cpuset.cpus=1", "cpuset/mi/box-7/cpuset.mems=0");
            assertThat(w).contains("pids/mi/box-7/pids.max=4");
            assertThat(cg.procsFiles()).hasSize(5).allMatch(f -> f.endsWith("/box-7/cgroup.procs"));

            Path mem = temp.resolve("memory/mi/box-7");
            t.set(mem.resolve("memory.max_usage_in_bytes"), "1000\n");
            t.set(mem.resolve("memory.memsw.max_usage_in_bytes"), "2000\n");
            t.set(mem.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
            t.set(temp.resolve("cpuacct/mi/box-7/cpuacct.usage"), "123456789\n");
            assertThat(cg.usage()).isEqualTo(new CgroupUsage(OptionalLong.of(123456789), OptionalLong.of(2000), 2));
        }
        assertThat(temp.resolve("memory/mi/box-7")).doesNotExist();
        assertThat(temp.resolve("cpuset/mi/box-7")).doesNotExist();
    }

    @Test
    void withoutUsableControllersThereIsNothingToCreate() {
        CgroupLayout none = CgroupLayout.none("no cgroups here", "none");

        try (BoxCgroup cg = BoxCgroup.create(CgroupFs.real(), none, "mi", 0, CgroupLimits.memory(100), 5)) {
            assertThat(cg.procsFiles()).isEmpty();
            assertThat(cg.countsCpu()).isFalse();
            assertThat(cg.limitsProcesses()).isFalse();
            assertThat(cg.usage()).isEqualTo(CgroupUsage.NONE);
            assertThat(cg.memoryBytes()).isEmpty();
        }
    }

    @Test
    void missingControllersAreWarnedOnceOrRefusedWhenStrict() {
        FakeCgroupTree t = new FakeCgroupTree(temp);
        t.v2("cgroup", "pids");
        t.self("0::/");
        Cgroups cgroups = new Cgroups(CgroupConfig.defaults(), t, t.discovery(true, p -> true));
        List<CgroupWarning> seen = new ArrayList<>();
        cgroups.onWarning(seen::add);

        cgroups.open(0, CgroupLimits.memory(1024), 0).close();
        cgroups.open(1, CgroupLimits.memory(1024), 0).close();

        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst().controller()).isEqualTo(Controller.MEMORY);
        assertThat(seen.getFirst().message()).contains("memory limit is not enforced", "Fix: `echo +memory");
        assertThatThrownBy(() -> cgroups.open(2, CgroupLimits.memory(1024).withStrict(true), 0))
                .isInstanceOf(CgroupException.class)
                .hasMessageContaining("strict")
                .hasMessageContaining("cgroup memory controller unavailable");
        assertThat(cgroups.missingFor(CgroupLimits.DEFAULTS.withCpuset("0", null)))
                .extracting(CgroupWarning::controller).containsExactly(Controller.MEMORY, Controller.CPUSET);
    }

    @Test
    void flatKeyedFilesAreParsedByKey() {
        assertThat(BoxCgroup.keyed("usage_usec 12\nuser_usec 5\n", "user_usec")).hasValue(5);
        assertThat(BoxCgroup.keyed("oom 1\noom_kill 3\n", "oom")).hasValue(1);
        assertThat(BoxCgroup.keyed("oom 1\n", "oom_kill")).isEmpty();
    }
}
