package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The system call filter from the command line: on by default, off with --syscalls=0 or syscall_flags = 0, one
 * restriction at a time with isolate's flag bits. The probe (core/src/test/c/syscall_probe.c) prints one line per
 * call: "NAME ok" or "NAME ERRNO".
 */
class SyscallsIT {
    private static final int FIRST_UID = 64700;
    private static final int BOX = 1;
    private static final String B = Integer.toString(BOX);

    private static Cli cli;

    @BeforeAll
    static void open() {
        cli = Cli.open();
        cli.configure("first_uid = " + FIRST_UID, "first_gid = " + FIRST_UID, "num_boxes = 4");
        cli.init(BOX);
        Programs.install("syscall_probe", cli.workDir(BOX));
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    /** Each probe's answer under {@code options}. */
    private static String probe(List<String> options, String... probes) {
        List<String> args = new ArrayList<>(List.of("-b", B, "-p"));
        args.addAll(options);
        args.addAll(List.of("--run", "--", "./syscall_probe"));
        args.addAll(List.of(probes));
        Cli.Result r = cli.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        return r.stdout();
    }

    @Test
    void namespaceAndKeyringCallsAreDeniedByDefaultAndGetThroughWithoutTheFilter() {
        // The probe answers in its own order, not the order asked.
        assertThat(probe(List.of(), "setns", "unshare_user", "keyctl"))
                .isEqualTo("keyctl ENOSYS\nunshare_user EPERM\nsetns EPERM\n");
        String off = probe(List.of("--syscalls=0"), "setns", "keyctl");
        // setns(-1) reaches the kernel, which complains about the descriptor; keyctl(9999) about the operation.
        assertThat(off).doesNotContain("setns EPERM", "keyctl ENOSYS").contains("setns EBADF\n");
    }

    @Test
    void eachFlagBitIsOneOfIsolatesRestrictions() {
        // Everything but bit 1 (keyrings): keyctl gets through, the rest of the filter stays.
        String noKeyrings = probe(List.of("--syscalls=65534"), "setns", "keyctl");
        assertThat(noKeyrings).contains("setns EPERM\n").doesNotContain("keyctl ENOSYS");
        assertThat(probe(List.of("--syscalls=1"), "keyctl")).isEqualTo("keyctl ENOSYS\n");
    }

    @Test
    void theConfigurationSetsTheDefaultAndTheOptionOverridesIt() throws Exception {
        Path off = Files.writeString(cli.scratch().resolve("off.conf"), "box_root = " + cli.boxRoot()
                + "\nlock_root = " + cli.scratch().resolve("locks") + "\nfirst_uid = " + FIRST_UID + "\nfirst_gid = "
                + FIRST_UID + "\nnum_boxes = 4\nsyscall_flags = 0\n");
        assertThat(probe(List.of("--config=" + off), "setns")).isEqualTo("setns EBADF\n");
        assertThat(probe(List.of("--config=" + off, "--syscalls=65535"), "setns")).isEqualTo("setns EPERM\n");
    }

    @Test
    void withoutLibseccompTheRunGoesUnfilteredAndSaysSoOnStderrOnce() {
        List<String> cmd = new ArrayList<>(Cli.javaCommand());
        cmd.add(cmd.indexOf("-jar"), "-Dminiisolate.libseccomp=/nonexistent/libseccomp.so.2");
        cmd.addAll(List.of("-b", B, "-s", "-p", "--run", "--", "./syscall_probe", "setns"));
        Cli.Result r = cli.startCommand(cmd, java.util.Map.of()).await();
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("setns EBADF\n");
        assertThat(r.stderr().lines().filter(l -> l.contains("WITHOUT a system call filter")).count()).isEqualTo(1);

        List<String> off = new ArrayList<>(cmd);
        off.add(off.indexOf("--run"), "--syscalls=0");
        Cli.Result quiet = cli.startCommand(off, java.util.Map.of()).await();
        assertThat(quiet.stderr()).isEmpty();
    }
}
