package org.miniisolate.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.nativeio.Libc;

/** The program enters the cgroups the spec names before it runs, and only it (not the box init). */
class LauncherCgroupTest {
    private static final Path V1_PIDS = Path.of("/sys/fs/cgroup/pids");
    private static final Path V1_CPUACCT = Path.of("/sys/fs/cgroup/cpuacct");
    private static final Path V2 = Path.of("/sys/fs/cgroup/unified");

    @TempDir
    Path temp;

    private Path root;
    private Path out;

    private LaunchSpec spec(String script, List<Path> groups) throws Exception {
        root = Files.createDirectory(temp.resolve("root"));
        out = Files.createDirectory(temp.resolve("out"));
        Files.setAttribute(out, "unix:uid", 60000);
        return new LaunchSpec(root.toString(),
                List.of(Mount.bind("/usr", "usr", EnumSet.of(Mount.Flag.READ_ONLY, Mount.Flag.RECURSIVE)),
                        Mount.bind("/lib", "lib", EnumSet.of(Mount.Flag.READ_ONLY, Mount.Flag.RECURSIVE)),
                        Mount.bind("/lib64", "lib64", EnumSet.of(Mount.Flag.READ_ONLY, Mount.Flag.MAYBE)),
                        Mount.bind("/bin", "bin", EnumSet.of(Mount.Flag.READ_ONLY, Mount.Flag.RECURSIVE)),
                        Mount.bind(out.toString(), "out", EnumSet.noneOf(Mount.Flag.class)),
                        Mount.filesystem("proc", "proc", "", EnumSet.noneOf(Mount.Flag.class))),
                List.of(), null, 60000, 60000, "/out", null, List.of(), List.of(), "/bin/sh", List.of("sh", "-c", script),
                null, null, null, false, true, List.of(), null,
                groups.stream().map(g -> g.resolve("cgroup.procs").toString()).toList(), null);
    }

    private static LauncherReport.Usage runOk(Path launcherBinary, LaunchSpec spec) throws Exception {
        try (Launcher launcher = new Launcher(launcherBinary);
             RunningBox box = launcher.start(spec)) {
            LauncherReport r = box.finish();
            assertThat(r.failure()).isEmpty();
            assertThat(r.program()).hasValueSatisfying(u -> assertThat(u.waitStatus()).isZero());
            return r.program().orElseThrow();
        }
    }

    /**
     * A fresh box's program joins its cgroups without cgroup.procs (v1: the tasks file, v2: cloned
     * into it where the kernel can): still before it can fork, so a child it forks at once is in
     * every hierarchy's cgroup, and a forked child's CPU is counted.
     */
    @Test
    void programAndWhatItForksAtOnceAreInEveryHierarchysCgroup() throws Exception {
        assertProgramAndChildInEveryCgroup(Path.of(System.getProperty(LauncherBinary.PROPERTY)), "fork");
    }

    /**
     * The same where the kernel refuses clone3 (older than 5.3, or CLONE_INTO_CGROUP refused):
     * the box init forks and the program writes itself into every file, cgroup.procs included.
     * The refusal is injected by strace (a tracer outside, -D, so the launcher keeps its parent).
     */
    @Test
    void withoutClone3TheProgramStillEntersEveryCgroupFirst() throws Exception {
        Path strace = Stream.of("/usr/bin/strace", "/bin/strace").map(Path::of).filter(Files::isExecutable)
                .findFirst().orElse(null);
        assumeTrue(strace != null, "needs strace to make the kernel refuse clone3");
        Path log = temp.resolve("strace.log");
        Path wrapper = Files.writeString(temp.resolve("refusing-launcher"), """
                #!/bin/sh
                exec %s -D -f -qq -o %s -e trace=clone3 -e inject=clone3:error=ENOSYS %s "$@"
                """.formatted(strace, log, System.getProperty(LauncherBinary.PROPERTY)));
        Files.setPosixFilePermissions(wrapper, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));

        assertProgramAndChildInEveryCgroup(wrapper, "noclone3");

        // The v2 tree is there: the init tried to clone into it, was refused, and forked instead.
        if (Files.isWritable(V2.resolve("cgroup.procs"))) {
            assertThat(Files.readString(log)).containsPattern("clone3\\(\\{flags=CLONE_INTO_CGROUP.*ENOSYS");
        }
    }

    private void assertProgramAndChildInEveryCgroup(Path launcherBinary, String suffix) throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root");
        List<Path> groups = new ArrayList<>();
        String name = "mini-isolate-launcher-test-" + ProcessHandle.current().pid() + "-" + suffix;
        for (Path h : List.of(V1_PIDS, V1_CPUACCT, V2)) {
            if (Files.isWritable(h.resolve("cgroup.procs"))) {
                groups.add(h.resolve(name));
            } else {
                System.out.println("LauncherCgroupTest: no writable " + h + ", left out");
            }
        }
        assumeTrue(!groups.isEmpty(), "needs a writable cgroup hierarchy (v1 pids or cpuacct, or the v2 tree)");
        try {
            for (Path g : groups) {
                Files.createDirectory(g);
            }
            // cat is the program's first fork; the subshell's loop burns CPU in a child only.
            LauncherReport.Usage usage = runOk(launcherBinary, spec("cat /proc/self/cgroup > child;"
                    + " cat /proc/$$/cgroup > program; (i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done)", groups));
            for (String who : List.of("child", "program")) {
                String cgroups = Files.readString(out.resolve(who));
                for (Path g : groups) {
                    String controllers = g.startsWith(V2) ? "" : "[^:]*\\b" + g.getParent().getFileName() + "\\b[^:]*";
                    assertThat(cgroups).as("%s in %s", who, g).containsPattern("(?m)^\\d+:" + controllers + ":/" + name + "$");
                }
            }
            // The loop's CPU is most of the run's (wait4 covers every process): the cgroup saw it too.
            for (Path g : groups) {
                long cpu = g.startsWith(V2) ? usageUsec(g) * 1000
                        : g.startsWith(V1_CPUACCT) ? Long.parseLong(Files.readString(g.resolve("cpuacct.usage")).trim()) : -1;
                if (cpu >= 0) {
                    assertThat(cpu).as("CPU counted in %s, ns, of %d ns the run used", g, usage.cpuNanos())
                            .isGreaterThan(usage.cpuNanos() / 2);
                }
            }
        } finally {
            for (Path g : groups) {
                removeWhenEmpty(g);
            }
        }
    }

    /** A cgroup whose last process was just reaped can refuse removal (EBUSY) for a moment. */
    private static void removeWhenEmpty(Path group) throws Exception {
        for (int i = 0; ; i++) {
            try {
                Files.deleteIfExists(group);
                return;
            } catch (java.nio.file.FileSystemException e) {
                if (i == 50) {
                    throw e;
                }
                Thread.sleep(20);
            }
        }
    }

    private static long usageUsec(Path group) throws Exception {
        try (Stream<String> lines = Files.lines(group.resolve("cpu.stat"))) {
            return lines.filter(l -> l.startsWith("usage_usec ")).mapToLong(l -> Long.parseLong(l.substring(11).trim()))
                    .findFirst().orElseThrow();
        }
    }

    @Test
    void programStartsInsideTheGivenCgroup() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root");
        Path hierarchy = V1_PIDS;
        assumeTrue(Files.isWritable(hierarchy.resolve("cgroup.procs")), "needs a writable cgroup v1 pids hierarchy");
        Path group = hierarchy.resolve("mini-isolate-launcher-test-" + ProcessHandle.current().pid());
        Files.createDirectory(group);
        try {
            runOk(Path.of(System.getProperty(LauncherBinary.PROPERTY)), spec("cat /proc/self/cgroup > cg; cat /proc/1/cgroup > init-cg 2>&1", List.of(group)));
            String name = group.getFileName().toString();
            assertThat(Files.readString(out.resolve("cg"))).contains("pids:/" + name);
            // The box init stays where the launcher was: its setup is not the program's.
            assertThat(Files.readString(out.resolve("init-cg"))).contains("pids:/").doesNotContain(name);
        } finally {
            Files.delete(group);
        }
    }
}
