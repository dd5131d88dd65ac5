package org.miniisolate.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.nativeio.Libc;

/** The program enters the cgroups the spec names before it runs, and only it (not the box init). */
class LauncherCgroupTest {
    @TempDir
    Path temp;

    @Test
    void programStartsInsideTheGivenCgroup() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root");
        Path hierarchy = Path.of("/sys/fs/cgroup/pids");
        assumeTrue(Files.isWritable(hierarchy.resolve("cgroup.procs")), "needs a writable cgroup v1 pids hierarchy");
        Path group = hierarchy.resolve("mini-isolate-launcher-test-" + ProcessHandle.current().pid());
        Files.createDirectory(group);
        Path root = Files.createDirectory(temp.resolve("root"));
        Path out = Files.createDirectory(temp.resolve("out"));
        Files.setAttribute(out, "unix:uid", 60000);
        try (Launcher launcher = new Launcher(Path.of(System.getProperty(LauncherBinary.PROPERTY)))) {
            LaunchSpec spec = new LaunchSpec(root.toString(),
                    List.of(Mount.bind("/usr", "usr", EnumSet.of(Mount.Flag.READ_ONLY, Mount.Flag.RECURSIVE)),
                            Mount.bind("/lib", "lib", EnumSet.of(Mount.Flag.READ_ONLY, Mount.Flag.RECURSIVE)),
                            Mount.bind("/lib64", "lib64", EnumSet.of(Mount.Flag.READ_ONLY, Mount.Flag.MAYBE)),
                            Mount.bind("/bin", "bin", EnumSet.of(Mount.Flag.READ_ONLY, Mount.Flag.RECURSIVE)),
                            Mount.bind(out.toString(), "out", EnumSet.noneOf(Mount.Flag.class)),
                            Mount.filesystem("proc", "proc", "", EnumSet.noneOf(Mount.Flag.class))),
                    List.of(), null, 60000, 60000, "/out", null, List.of(), List.of(), "/bin/sh",
                    List.of("sh", "-c", "cat /proc/self/cgroup > cg; cat /proc/1/cgroup > init-cg 2>&1"),
                    null, null, null, false, true, List.of(), null, List.of(group.resolve("cgroup.procs").toString()), null);
            try (RunningBox box = launcher.start(spec)) {
                LauncherReport r = box.finish();
                assertThat(r.failure()).isEmpty();
                assertThat(r.program()).hasValueSatisfying(u -> assertThat(u.waitStatus()).isZero());
            }
            String name = group.getFileName().toString();
            assertThat(Files.readString(out.resolve("cg"))).contains("pids:/" + name);
            // The box init stays where the launcher was: its setup is not the program's.
            assertThat(Files.readString(out.resolve("init-cg"))).contains("pids:/").doesNotContain(name);
        } finally {
            Files.delete(group);
        }
    }
}
