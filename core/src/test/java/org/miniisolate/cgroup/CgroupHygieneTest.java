package org.miniisolate.cgroup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.miniisolate.Box;
import org.miniisolate.Captured;
import org.miniisolate.TestPrograms;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.RunSpec;

/**
 * A program in cgroup mode cannot reach its own cgroup's files, nor any other: the box init
 * opened them before pivot_root, the program wrote itself in and the descriptor closed on exec;
 * no cgroup filesystem is mounted in the box, and none can be (no capabilities, no mount calls).
 */
class CgroupHygieneTest {
    @Test
    void theBoxCgroupIsNeitherVisibleNorOpenNorMountable() {
        try (CgroupTestSandbox s = CgroupTestSandbox.open().require(Controller.MEMORY)) {
            Box box = s.box(946);
            TestPrograms.install("probe_paths", box);
            TestPrograms.install("list_fds", box);
            TestPrograms.install("read_file", box);
            TestPrograms.install("syscall_probe", box);

            Captured where = Captured.run(box, inCgroup(List.of("./read_file", "/proc/self/cgroup")));
            assertThat(where.result().verdict()).as("%s", where).isEqualTo(Verdict.OK);
            assertThat(where.out()).as("the program is in the box cgroup").contains(s.name() + "/box-946");

            List<String> paths = new java.util.ArrayList<>(List.of("/sys/fs/cgroup", "/sys"));
            for (Path root : s.cgroups().roots()) {
                paths.add(root.resolve("box-946").resolve("cgroup.procs").toString());
                paths.add(root.toString());
            }
            List<String> cmd = new java.util.ArrayList<>(List.of("./probe_paths", "read"));
            cmd.addAll(paths);
            Captured seen = Captured.run(box, inCgroup(cmd));
            assertThat(seen.outLines()).as("%s", seen).hasSize(paths.size()).allSatisfy(l -> assertThat(l).endsWith(" ENOENT"));

            Captured fds = Captured.run(box, inCgroup(List.of("./list_fds")));
            assertThat(fds.outLines()).as("%s", fds).containsExactly("0", "1", "2");

            Captured mount = Captured.run(box, inCgroup(List.of("./syscall_probe", "mount", "fsopen"))
                    .limits(org.miniisolate.spec.Limits.DEFAULTS.withProcesses(0))); // the probes fork
            assertThat(mount.outLines()).as("%s", mount).containsExactly("mount EPERM", "fsopen EPERM");
        }
    }

    private static RunSpec.Builder inCgroup(List<String> command) {
        return RunSpec.of(command).cgroups(CgroupLimits.memory(64 * 1024));
    }
}
