package org.miniisolate.seccomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.miniisolate.Box;
import org.miniisolate.Boxes;
import org.miniisolate.EveryBoxKind;
import org.miniisolate.ProgramBox;
import org.miniisolate.SandboxException;
import org.miniisolate.TestBoxes;
import org.miniisolate.TestPrograms;
import org.miniisolate.nativeio.Libseccomp;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * Attack programs against the system call filter, in real boxes. core/src/test/c/syscall_probe.c
 * tries each denied interface and prints what the kernel answered. Every probe is run under the
 * default filter (it must answer the policy's errno) and with flags 0 (it must get through, so
 * the test would fail without the filter); where another defence may stop a call too, a third
 * run with every errno replaced by a marker shows that the filter's own rule is what answers.
 */
@EveryBoxKind
class SyscallFilterAttackTest {
    private static final String PROBE = "syscall_probe";
    private static final String SIGSYS = "signal 31";
    /** An errno no probe gets from the kernel here, so it can only come from the filter. */
    private static final int MARKER = 131;
    private static final String MARKER_NAME = "ENOTRECOVERABLE";
    /** Probes fork, and some need a second process: lift isolate's default of one. */
    private static final Limits LIMITS = Limits.DEFAULTS.withProcesses(0);

    /** isolate's bits and the probes of the restriction each turns on. */
    private static final Map<Integer, List<String>> PROBES_OF_BIT = Map.of(
            SyscallFlags.KEYRINGS, List.of("keyctl", "add_key"),
            SyscallFlags.VSOCK, List.of("socket_vsock"),
            SyscallFlags.FILE_LOCKS, List.of("flock", "fcntl_setlk", "fcntl_ofd_setlk"),
            SyscallFlags.IO_URING, List.of("io_uring_setup"));

    private final Boxes boxes;
    private final ProgramBox box;
    private final Map<String, String> filtered;
    private final Map<String, String> unfiltered;

    /** The box, and what every probe answers with and without the filter: found once per kind. */
    private record Probed(ProgramBox box, Map<String, String> filtered, Map<String, String> unfiltered) {}

    SyscallFilterAttackTest(Boxes boxes) {
        this.boxes = boxes;
        Probed p = boxes.once(Probed.class, () -> {
            ProgramBox b = boxes.boxForTheClass(0);
            TestPrograms.install(PROBE, b);
            return new Probed(b, probeAll(b, SyscallPolicy.DEFAULT), probeAll(b, SyscallPolicy.OFF));
        });
        this.box = p.box();
        this.filtered = p.filtered();
        this.unfiltered = p.unfiltered();
    }

    /**
     * A denied call.
     *
     * @param probe         its probe in syscall_probe.c
     * @param underFilter   what the probe prints under the default filter
     * @param alsoStoppedBy null when nothing but the filter stops the call on any recent kernel;
     *                      else the other defence that may give the same answer without it
     */
    record Denied(String probe, String underFilter, String alsoStoppedBy) {
        @Override
        public String toString() {
            return probe + " -> " + underFilter;
        }
    }

    private static Denied only(String probe, String errno) {
        return new Denied(probe, errno, null);
    }

    private static Denied also(String probe, String errno, String otherDefence) {
        return new Denied(probe, errno, otherDefence);
    }

    private static final String USERNS = "a kernel refusing user namespaces to unprivileged users";
    private static final String CAPS = "the missing capability, or a kernel built without the call";

    static List<Denied> denied() {
        return List.of(
                // isolate's bits
                only("keyctl", "ENOSYS"), only("add_key", "ENOSYS"), only("request_key", "ENOSYS"),
                also("socket_vsock", "EAFNOSUPPORT", "a kernel without VM sockets"),
                only("fcntl_setlk", "EPERM"), only("fcntl_setlkw", "EPERM"), only("fcntl_ofd_setlk", "EPERM"),
                only("fcntl_ofd_setlkw", "EPERM"), only("fcntl_setlease", "EPERM"), only("fcntl_notify", "EPERM"),
                only("flock", "ENOSYS"),
                also("io_uring_setup", "ENOSYS", "a kernel without io_uring, or kernel.io_uring_disabled"),
                also("io_uring_enter", "ENOSYS", "a kernel without io_uring"),
                also("io_uring_register", "ENOSYS", "a kernel without io_uring"),
                only("int80_getpid", SIGSYS), only("int80_keyctl", SIGSYS), only("x32_getpid", SIGSYS),
                // the denylist
                also("mount", "EPERM", USERNS), only("umount2", "EPERM"), only("open_tree", "EPERM"),
                also("move_mount", "EPERM", USERNS), also("fsopen", "EPERM", USERNS), also("fspick", "EPERM", USERNS),
                only("fsconfig", "EPERM"), also("fsmount", "EPERM", USERNS), only("mount_setattr", "EPERM"),
                also("pivot_root", "EPERM", USERNS), only("chroot", "EPERM"),
                also("unshare_user", "EPERM", USERNS), only("setns", "EPERM"),
                also("clone_newuser", "EPERM", USERNS), also("clone_newns", "EPERM", USERNS),
                also("clone_newcgroup", "EPERM", USERNS), also("clone_newuts", "EPERM", USERNS),
                also("clone_newipc", "EPERM", USERNS), also("clone_newpid", "EPERM", USERNS),
                also("clone_newnet", "EPERM", USERNS), only("clone3", "ENOSYS"),
                also("ptrace", "EPERM", "Yama's ptrace_scope 2 or 3"),
                only("process_vm_readv", "EPERM"), only("process_vm_writev", "EPERM"),
                also("kexec_load", "EPERM", CAPS), also("kexec_file_load", "EPERM", CAPS),
                also("init_module", "EPERM", CAPS), also("finit_module", "EPERM", CAPS),
                also("delete_module", "EPERM", CAPS),
                also("bpf", "EPERM", "kernel.unprivileged_bpf_disabled before Linux 6.5"),
                only("perf_event_open", "EPERM"), only("userfaultfd", "EPERM"),
                also("open_by_handle_at", "EPERM", "the missing CAP_DAC_READ_SEARCH on older kernels"),
                only("name_to_handle_at", "EPERM"),
                also("fanotify_init", "EPERM", "kernels before 5.13 (no unprivileged fanotify)"),
                also("swapon", "EPERM", CAPS), also("swapoff", "EPERM", CAPS), also("reboot", "EPERM", CAPS),
                only("settimeofday", "EPERM"), only("clock_settime", "EPERM"), only("clock_adjtime", "EPERM"),
                only("adjtimex", "EPERM"), also("acct", "EPERM", CAPS), only("quotactl", "EPERM"),
                only("quotactl_fd", "EPERM"), also("lookup_dcookie", "EPERM", CAPS),
                only("iopl", "EPERM"), only("ioperm", "EPERM"),
                only("personality_no_aslr", "EPERM"));
    }

    /** Calls the filter must leave alone: queries, ordinary sockets, plain fork. */
    static List<String> allowed() {
        return List.of("personality_query", "personality_linux", "fcntl_getlk", "socket_unix", "fork");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denied")
    void theDefaultFilterAnswersWithTheErrnoOfThePolicy(Denied d) {
        assertThat(filtered.get(d.probe())).as(d.probe()).isEqualTo(d.underFilter());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("denied")
    void withoutTheFilterTheCallGetsThrough(Denied d) {
        String answer = unfiltered.get(d.probe());
        if (d.alsoStoppedBy() != null) {
            assumeFalse(answer.equals(d.underFilter()),
                    d.probe() + " answers " + answer + " without the filter too, here stopped by " + d.alsoStoppedBy());
        }
        assertThat(answer).as("%s without the filter", d.probe()).isNotEqualTo(d.underFilter());
    }

    @Test
    void everyDeniedCallIsStoppedByItsOwnRule() {
        List<SyscallRule> marked = SyscallPolicy.DEFAULT.rules().stream().map(r -> r.withErrno(MARKER)).toList();
        Map<String, String> answers = probeAll(box, new SyscallPolicy(marked, true, false));

        for (Denied d : denied()) {
            String expected = d.underFilter().equals(SIGSYS) ? SIGSYS : MARKER_NAME;
            assertThat(answers.get(d.probe())).as(d.probe()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("allowed")
    void ordinaryCallsAreLeftAlone(String probe) {
        assertThat(filtered.get(probe)).as(probe).isEqualTo("ok");
    }

    @Test
    void theProbeTableCoversEveryProbe() {
        List<String> known = new ArrayList<>(denied().stream().map(Denied::probe).toList());
        known.addAll(allowed());
        assertThat(probe(box, SyscallPolicy.DEFAULT, "--list").lines().toList()).containsExactlyInAnyOrderElementsOf(known);
    }

    @Test
    void a32BitSystemCallKillsTheWholeProgramWithSigsys() {
        Output o = run(box, SyscallPolicy.DEFAULT, "--direct", "int80_getpid");
        assertThat(o.result().verdict()).as("%s", o).isEqualTo(Verdict.SIGNALED);
        assertThat(o.result().signal()).hasValue(31);
        assertThat(o.out()).as("nothing after the call ran").isEmpty();

        Output x32 = run(box, SyscallPolicy.DEFAULT, "--direct", "x32_getpid");
        assertThat(x32.result().signal()).as("%s", x32).hasValue(31);
    }

    @Test
    void clearingBit16Allows32BitCallsUnderTheSameRules() {
        Map<String, String> answers = probeAll(box, SyscallPolicy.isolate(SyscallFlags.ALL & ~SyscallFlags.NATIVE_ABI_ONLY),
                "int80_getpid", "int80_keyctl", "x32_getpid", "keyctl");
        assumeFalse(unfiltered.get("int80_getpid").startsWith("signal"), "the kernel has no IA-32 emulation");
        assertThat(answers).containsEntry("int80_getpid", "ok")
                .containsEntry("int80_keyctl", "ENOSYS") // the i386 keyctl meets the keyrings rule
                .containsEntry("keyctl", "ENOSYS");
        assertThat(answers.get("x32_getpid")).isIn("ok", "ENOSYS"); // ENOSYS: the kernel's x32 support is off
    }

    /** Clearing one of isolate's bits lifts exactly that restriction. */
    @ParameterizedTest
    @ValueSource(ints = {SyscallFlags.KEYRINGS, SyscallFlags.VSOCK, SyscallFlags.FILE_LOCKS, SyscallFlags.IO_URING})
    void eachIsolateBitLiftsOnlyItsOwnRestriction(int bit) {
        String[] probes = PROBES_OF_BIT.values().stream().flatMap(List::stream).toArray(String[]::new);
        Map<String, String> answers = probeAll(box, SyscallPolicy.isolate(SyscallFlags.ALL & ~bit), probes);

        PROBES_OF_BIT.forEach((b, ofBit) -> {
            for (String probe : ofBit) {
                String expected = b == bit ? unfiltered.get(probe) : filtered.get(probe);
                assertThat(answers.get(probe)).as("%s with bit %d cleared", probe, bit).isEqualTo(expected);
            }
        });
    }

    @Test
    void ordinaryProgramsRunUnderTheFilter() {
        TestPrograms.install("threads_and_files", box);
        Output threads = run(box, RunSpec.of("./threads_and_files").limits(LIMITS));
        assertThat(threads.result().verdict()).as("%s", threads).isEqualTo(Verdict.OK);
        assertThat(threads.out()).isEqualTo("ok\n");

        Output shell = run(box, RunSpec.of("/bin/sh", "-c", "for i in 1 2 3; do echo $i > n$i; done; cat n1 n2 n3 | sort -r | tr -d '\\n'; rm n1 n2 n3")
                .limits(LIMITS));
        assertThat(shell.result().verdict()).as("%s", shell).isEqualTo(Verdict.OK);
        assertThat(shell.out()).isEqualTo("321");
    }

    @Test
    void withoutLibseccompRunsGoUnfilteredAndAStrictPolicyRefuses() {
        // About a sandbox without libseccomp, made here with a fresh box; pooled runs get their filter from the same Box.syscallFilter.
        assumeFalse(boxes.pooled(), "the same for both kinds: run with fresh boxes only");
        String previous = System.getProperty(Libseccomp.LIBRARY_PROPERTY);
        System.setProperty(Libseccomp.LIBRARY_PROPERTY, "/nonexistent/libseccomp.so.2");
        TestBoxes missing;
        try {
            missing = TestBoxes.open();
        } finally {
            if (previous == null) {
                System.clearProperty(Libseccomp.LIBRARY_PROPERTY);
            } else {
                System.setProperty(Libseccomp.LIBRARY_PROPERTY, previous);
            }
        }
        try (missing) {
            Box b = missing.box(0);
            TestPrograms.install(PROBE, b);
            assertThat(missing.sandbox().seccompSupport()).isInstanceOf(SeccompSupport.Unavailable.class);

            Output o = run(b, RunSpec.of("./" + PROBE, "keyctl").limits(LIMITS).syscalls(SyscallPolicy.DEFAULT));
            assertThat(o.result().verdict()).as("%s", o).isEqualTo(Verdict.OK);
            assertThat(o.out()).isEqualTo("keyctl " + unfiltered.get("keyctl") + "\n");

            RunSpec strict = RunSpec.of("./" + PROBE, "keyctl").limits(LIMITS)
                    .syscalls(SyscallPolicy.DEFAULT.requireFilter()).build();
            assertThatThrownBy(() -> b.run(strict)).isInstanceOf(SandboxException.class)
                    .hasMessageContaining("requires a system call filter")
                    .hasMessageContaining("/nonexistent/libseccomp.so.2");
        }
    }

    // ---- running probes ----

    record Output(RunResult result, String out, String err) {}

    private static Map<String, String> probeAll(ProgramBox b, SyscallPolicy policy, String... probes) {
        Map<String, String> answers = new LinkedHashMap<>();
        for (String line : probe(b, policy, probes).lines().toList()) {
            int space = line.indexOf(' ');
            answers.put(line.substring(0, space), line.substring(space + 1));
        }
        return answers;
    }

    private static String probe(ProgramBox b, SyscallPolicy policy, String... args) {
        Output o = run(b, policy, args);
        assertThat(o.result().verdict()).as("%s", o).isEqualTo(Verdict.OK);
        return o.out();
    }

    private static Output run(ProgramBox b, SyscallPolicy policy, String... args) {
        List<String> command = new ArrayList<>(List.of("./" + PROBE));
        command.addAll(List.of(args));
        return run(b, RunSpec.of(command).limits(LIMITS).syscalls(policy));
    }

    private static Output run(ProgramBox b, RunSpec.Builder spec) {
        RunResult r = b.run(spec.io(new Io(null, ".probe-out", ".probe-err", false)).build());
        return new Output(r, take(b.workDirectory().resolve(".probe-out")), take(b.workDirectory().resolve(".probe-err")));
    }

    private static String take(Path p) {
        try {
            if (!Files.exists(p)) {
                return "";
            }
            String s = Files.readString(p);
            Files.delete(p);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
