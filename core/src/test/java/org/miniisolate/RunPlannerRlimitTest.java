package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.miniisolate.launch.Rlimit;
import org.miniisolate.launch.Rlimit.Resource;
import org.miniisolate.spec.Limits;

/**
 * Unlimited processes keep the caller's RLIMIT_NPROC, as isolate does, rather than raising it to infinity: raising
 * a hard limit needs CAP_SYS_RESOURCE, which root in a container may not have, and then every such run failed
 * with "setrlimit(NPROC): Operation not permitted".
 */
class RunPlannerRlimitTest {

    @Test
    void unlimitedProcessesLeaveTheProcessLimitAlone() {
        assertThat(RunPlanner.rlimits(Limits.DEFAULTS.withProcesses(0)))
                .noneMatch(r -> r.resource() == Resource.NPROC);
    }

    @Test
    void aProcessLimitIsApplied() {
        assertThat(RunPlanner.rlimits(Limits.DEFAULTS.withProcesses(5))).contains(Rlimit.of(Resource.NPROC, 5));
    }
}
