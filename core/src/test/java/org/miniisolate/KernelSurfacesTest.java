package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.miniisolate.fs.KernelSurfaces;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.RunSpec;

/**
 * The kernel interfaces a box sees: /proc without the files that describe the host and its
 * kernel, /proc/sys read-only, no /sys, no terminal to push keystrokes into, root's privileges
 * locked away for good.
 */
@EveryBoxKind
class KernelSurfacesTest {
    private static final int BOX = 940;
    private static final int TTY_BOX = 941;
    /** NOROOT, NOROOT_LOCKED, NO_SETUID_FIXUP_LOCKED, KEEP_CAPS_LOCKED, NO_CAP_AMBIENT_RAISE and its lock. */
    private static final String LOCKED_SECUREBITS = "0xeb";
    private final Boxes boxes;

    KernelSurfacesTest(Boxes boxes) {
        this.boxes = boxes;
    }

    /** Runs probe_paths with {@code args} in the box; its "PATH outcome" lines as a map. */
    private static Map<String, String> probe(ProgramBox box, RunSpec.Builder spec) {
        Captured c = Captured.run(box, spec);
        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : c.outLines()) {
            int space = line.indexOf(' ');
            out.put(line.substring(0, space), line.substring(space + 1));
        }
        return out;
    }

    private static List<String> command(String mode, String prefix, List<String> names) {
        List<String> cmd = new ArrayList<>(List.of("./probe_paths", mode));
        names.forEach(n -> cmd.add(prefix + n));
        return cmd;
    }

    @Test
    void sensitiveProcFilesReadAsEmpty() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("probe_paths", box);

        Map<String, String> seen = probe(box, RunSpec.of(command("read", "/proc/", KernelSurfaces.PROC_FILES)));

        int present = 0;
        for (String name : KernelSurfaces.PROC_FILES) {
            String path = "/proc/" + name;
            if (Files.exists(Path.of(path))) {
                present++;
                assertThat(seen.get(path)).as(path).isEqualTo("bytes 0");
            } else {
                assertThat(seen.get(path)).as("%s (not on this kernel)", path).isEqualTo("ENOENT");
            }
        }
        assertThat(present).as("files of the list this kernel has").isPositive();
        // A world-readable neighbour is still there and not empty: the masks are per file.
        Map<String, String> other = probe(box, RunSpec.of("./probe_paths", "read", "/proc/cpuinfo"));
        assertThat(other.get("/proc/cpuinfo")).isNotEqualTo("bytes 0").startsWith("bytes ");
    }

    @Test
    void sensitiveProcDirectoriesAreEmpty() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("probe_paths", box);

        Map<String, String> seen = probe(box, RunSpec.of(command("read", "/proc/", KernelSurfaces.PROC_DIRECTORIES)));

        for (String name : KernelSurfaces.PROC_DIRECTORIES) {
            String path = "/proc/" + name;
            assertThat(seen.get(path)).as(path).isEqualTo(Files.isDirectory(Path.of(path)) ? "entries 0" : "ENOENT");
        }
        // An unmasked neighbour still lists its entries.
        Map<String, String> tty = probe(box, RunSpec.of("./probe_paths", "read", "/proc/tty"));
        assertThat(tty.get("/proc/tty")).isNotEqualTo("entries 0").startsWith("entries ");
    }

    @Test
    void procSysIsReadOnlyEvenUnderAWritableProc() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("read_file", box);

        Captured byDefault = Captured.run(box, "./read_file", "/proc/self/mountinfo");
        assertThat(options(byDefault.out(), "/proc")).as("%s", byDefault).contains("ro", "nosuid", "nodev");

        var writableProc = DirRules.apply(DirRules.defaults(), List.of("proc=proc:fs:rw"));
        RunSpec.Builder underWritableProc = RunSpec.of("./read_file", "/proc/self/mountinfo").dirs(writableProc);
        if (boxes.refusesOtherTemplate(box, underWritableProc)) {
            return;
        }
        Captured c = Captured.run(box, underWritableProc);

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(options(c.out(), "/proc")).contains("rw");
        assertThat(options(c.out(), "/proc/sys")).contains("ro", "nosuid", "nodev", "noexec");
    }

    @Test
    void sysIsAbsentByDefaultAndMaskedWhenARuleMountsIt() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("probe_paths", box);

        Map<String, String> byDefault = probe(box, RunSpec.of("./probe_paths", "read", "/sys", "/sys/fs/cgroup", "/sys/kernel"));
        assertThat(byDefault).containsEntry("/sys", "ENOENT").containsEntry("/sys/fs/cgroup", "ENOENT")
                .containsEntry("/sys/kernel", "ENOENT");

        var withSysfs = DirRules.apply(DirRules.defaults(), List.of("sys=sysfs:fs"));
        RunSpec.Builder underSysfs = RunSpec.of(command("read", "/sys/", KernelSurfaces.SYSFS_DIRECTORIES)).dirs(withSysfs);
        if (boxes.refusesOtherTemplate(box, underSysfs)) {
            return;
        }
        Map<String, String> asked = probe(box, underSysfs);
        for (String name : KernelSurfaces.SYSFS_DIRECTORIES) {
            String path = "/sys/" + name;
            assertThat(asked.get(path)).as(path).isEqualTo(Files.isDirectory(Path.of(path)) ? "entries 0" : "ENOENT");
        }
    }

    @Test
    void rootsPrivilegesAreLockedAwayAndTheFilterIsOn() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("probe_paths", box);
        TestPrograms.install("read_file", box);

        Captured bits = Captured.run(box, "./probe_paths", "securebits");
        assertThat(bits.outLines()).as("%s", bits).containsExactly("securebits " + LOCKED_SECUREBITS, "clear EPERM");

        Captured status = Captured.run(box, "./read_file", "/proc/self/status");
        assertThat(status.outLines()).as("%s", status).contains("Seccomp:\t2", "NoNewPrivs:\t1", "CapBnd:\t0000000000000000");
    }

    /**
     * A program whose stdin is the caller's terminal could push a command into that terminal's
     * input (TIOCSTI), which the caller's shell would then run. The program is started in a
     * session of its own, where that terminal is not its controlling terminal: the kernel refuses.
     * The caller here is a JVM whose controlling terminal and stdin are a fresh pseudo-terminal.
     */
    @Test
    void aProgramCannotPushInputIntoTheCallersTerminal() throws Exception {
        Path onPty = TestPrograms.binary("on_pty");
        Path probe = TestPrograms.binary("probe_paths");
        int uid = 60000 + TTY_BOX;

        // The harness sees an injection: the same probe, unsandboxed but as the same unprivileged
        // user, in the terminal's own session.
        String direct = run(List.of(onPty.toString(), "setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups",
                probe.toString(), "tiocsti", "id\n"));
        assertThat(direct).contains("tiocsti ok", "injected 3");

        List<String> cmd = new ArrayList<>(List.of(onPty.toString()));
        cmd.addAll(ChildJvm.builder(boxes, TTY_BOX, "probe_paths", "tiocsti", "id\n").command());

        String boxed = run(cmd);

        assertThat(boxed).contains("isatty yes", "tiocsti EPERM", "ctty ENOTTY", "verdict=OK", "injected 0");
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(new File("/dev/null")).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out).isTrue();
        return out;
    }

    private static List<String> options(String mountinfo, String mountPoint) {
        List<String> found = List.of();
        for (String line : mountinfo.split("\n")) {
            String[] f = line.split(" ");
            if (f.length > 5 && f[4].equals(mountPoint)) {
                found = List.of(f[5].split(","));
            }
        }
        assertThat(found).as("mount options of %s in\n%s", mountPoint, mountinfo).isNotEmpty();
        return found;
    }
}
