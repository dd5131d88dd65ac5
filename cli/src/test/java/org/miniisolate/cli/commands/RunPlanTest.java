package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.miniisolate.seccomp.SyscallPolicy;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.RunSpec;

/** Where the limits go: cgroup or rlimits, capture and the file-size limit, the defaults. */
class RunPlanTest {
    private static final RunPlan.Machine CGROUP = new RunPlan.Machine(true, true, null, null, null, SyscallPolicy.DEFAULT);
    private static final RunPlan.Machine NO_MEMORY_CONTROLLER =
            new RunPlan.Machine(true, false, "no memory hierarchy", null, null, SyscallPolicy.DEFAULT);
    private static final RunPlan.Machine PLAIN_BOX = new RunPlan.Machine(false, true, null, null, null, SyscallPolicy.DEFAULT);

    private static RunPlan plan(Resources given, boolean capture, RunPlan.Machine m) {
        return RunPlan.of(List.of("/bin/true"), given.effective(), capture, m, Io.INHERIT, Map.of(), DirRules.defaults());
    }

    @Test
    void defaultsOfRun() {
        RunSpec s = plan(Resources.NONE, false, CGROUP).spec();
        assertThat(s.limits().cpuTime()).isZero();
        assertThat(s.limits().wallTime()).isZero();
        assertThat(s.limits().addressSpaceKib()).isZero();
        assertThat(s.limits().fileSizeKib()).isZero();
        assertThat(s.limits().processes()).isEqualTo(64);
        assertThat(s.cgroups().memoryKib()).isZero();
        assertThat(s.shareNetwork()).isFalse();
    }

    @Test
    void memoryGoesToTheCgroupWhenItCan() {
        RunPlan p = plan(new Resources(null, null, 5120L, null, null, null, null), false, CGROUP);
        assertThat(p.memory()).isEqualTo(RunPlan.Memory.CGROUP);
        assertThat(p.spec().cgroups().memoryKib()).isEqualTo(5120);
        assertThat(p.spec().limits().addressSpaceKib()).isZero();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void withoutTheControllerMemoryIsAnAddressSpaceLimitWithAWarning() {
        RunPlan p = plan(new Resources(null, null, 5120L, null, null, null, null), false, NO_MEMORY_CONTROLLER);
        assertThat(p.memory()).isEqualTo(RunPlan.Memory.ADDRESS_SPACE);
        assertThat(p.spec().limits().addressSpaceKib()).isEqualTo(5120);
        assertThat(p.spec().cgroupMode()).isTrue();
        assertThat(p.spec().cgroups().memoryKib()).isZero();
        assertThat(p.warnings()).singleElement().asString().contains("RLIMIT_AS").contains("no memory hierarchy");

        RunPlan plainBox = plan(new Resources(null, null, 5120L, null, null, null, null), false, PLAIN_BOX);
        assertThat(plainBox.spec().cgroupMode()).isFalse();
        assertThat(plainBox.memory()).isEqualTo(RunPlan.Memory.ADDRESS_SPACE);
        assertThat(plainBox.warnings()).singleElement().asString().contains("initialized without cgroups");
    }

    @Test
    void noMemoryLimitNoWarning() {
        assertThat(plan(Resources.NONE, false, NO_MEMORY_CONTROLLER).warnings()).isEmpty();
        assertThat(plan(Resources.NONE, false, NO_MEMORY_CONTROLLER).memory()).isEqualTo(RunPlan.Memory.NONE);
    }

    @Test
    void capturedOutputIsCappedByTheFileSizeLimit() {
        assertThat(plan(Resources.NONE, true, CGROUP).spec().limits().fileSizeKib()).isEqualTo(1024);
        assertThat(plan(new Resources(null, null, null, null, 64L, null, null), true, CGROUP).spec().limits().fileSizeKib())
                .isEqualTo(64);
        assertThat(plan(new Resources(null, null, null, null, 64L, 10L, null), true, CGROUP).spec().limits().fileSizeKib())
                .isEqualTo(10);
        // Not captured: the output cap does not limit the program's files.
        assertThat(plan(new Resources(null, null, null, null, 64L, null, null), false, CGROUP).spec().limits().fileSizeKib())
                .isZero();
    }

    @Test
    void everyFlagReachesTheSpec() {
        RunSpec s = plan(new Resources(Duration.ofMillis(1500), Duration.ofSeconds(3), null, 7, null, 100L, true), false,
                CGROUP).spec();
        assertThat(s.limits().cpuTime()).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.limits().wallTime()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.limits().processes()).isEqualTo(7);
        assertThat(s.limits().fileSizeKib()).isEqualTo(100);
        assertThat(s.shareNetwork()).isTrue();
    }

    @Test
    void layersFillOnlyWhatIsMissing() {
        Resources profile = new Resources(null, null, null, 64, null, null, null);
        Resources flags = new Resources(Duration.ofSeconds(1), null, null, 2, null, null, null);
        Resources r = flags.over(profile).effective();
        assertThat(r.processes()).isEqualTo(2);
        assertThat(r.cpu()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new Resources(null, null, null, null, null, null, null).over(profile).effective().processes()).isEqualTo(64);
    }
}
