package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Redirections, environment, working directory, directory rules and network: what the program sees. */
class IoEnvIT {
    private static final int BOX = 31;
    private static final String B = Integer.toString(BOX);

    private static Cli cli;

    @BeforeAll
    static void open() {
        cli = Cli.open();
        cli.init(BOX);
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    private static Path inBox(String name) {
        return cli.workDir(BOX).resolve(name);
    }

    @Test
    void stdoutAndStderrGoToFilesInTheBox() throws Exception {
        Cli.Result r = cli.run("-b", B, "-o", "out.txt", "-r", "err.txt", "--run", "--",
                "/bin/sh", "-c", "echo out; echo err >&2");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEmpty();
        assertThat(inBox("out.txt")).hasContent("out");
        assertThat(inBox("err.txt")).hasContent("err");
        assertThat(Files.getAttribute(inBox("out.txt"), "unix:uid")).isEqualTo(0);
    }

    @Test
    void stderrToStdoutSharesTheStdoutFile() {
        Cli.Result r = cli.run("-b", B, "-o", "both.txt", "--stderr-to-stdout", "--run", "--",
                "/bin/sh", "-c", "echo out; echo err >&2");
        assertThat(r.exitCode()).isZero();
        assertThat(inBox("both.txt")).hasContent("out\nerr");
    }

    @Test
    void stdinComesFromAFileInTheBox() throws Exception {
        Files.writeString(inBox("in.txt"), "line one\nline two\n");
        Cli.Result r = cli.run("-b", B, "-i", "in.txt", "--run", "--", "/bin/cat");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("line one\nline two\n");
    }

    @Test
    void missingStdinFileIsAnInternalError() {
        Cli.Result r = cli.run("-b", B, "-i", "no-such-input", "--run", "--", "/bin/cat");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("open(\"no-such-input\"): No such file or directory\n");
    }

    @Test
    void defaultEnvironmentIsOnlyLibcFatalStderr() {
        Cli.Result r = cli.runWithEnv(Map.of("MI_TEST_VAR", "from-caller"), "-b", B, "--run", "--", "/usr/bin/env");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("LIBC_FATAL_STDERR_=1\n");
    }

    @Test
    void envRulesCopySetAndRemove() {
        Cli.Result r = cli.runWithEnv(Map.of("MI_TEST_VAR", "from-caller"), "-b", B,
                "-E", "MI_TEST_VAR", "-E", "X=1", "-E", "LIBC_FATAL_STDERR_=", "-E", "NOT_SET_ANYWHERE",
                "--run", "--", "/usr/bin/env");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("MI_TEST_VAR=from-caller\nX=1\n");
    }

    @Test
    void fullEnvPassesTheCallersEnvironmentButNotTheWrappersFdList() {
        Cli.Result r = cli.runWithEnv(Map.of("MI_TEST_VAR", "from-caller", "MINI_ISOLATE_INHERITED_FDS", ""),
                "-b", B, "-e", "--run", "--", "/usr/bin/env");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("MI_TEST_VAR=from-caller\n", "LIBC_FATAL_STDERR_=1\n")
                .doesNotContain("MINI_ISOLATE_INHERITED_FDS");
    }

    @Test
    void chdirAbsoluteAndRelativeToTheBox() throws Exception {
        Files.createDirectories(inBox("sub"));
        assertThat(cli.run("-b", B, "-c", "/tmp", "--run", "--", "/bin/pwd").stdout()).isEqualTo("/tmp\n");
        assertThat(cli.run("-b", B, "-c", "sub", "--run", "--", "/bin/pwd").stdout()).isEqualTo("/box/sub\n");
    }

    @Test
    void argumentsAfterDoubleDashAreTheProgramsEvenIfTheyLookLikeOptions() {
        Cli.Result r = cli.run("-b", B, "--run", "--", "/bin/echo", "-n", "hi");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("hi");
    }

    @Test
    void dirRulesAddAndTheDefaultLayoutHasNoEtc() throws Exception {
        assertThat(cli.run("-b", B, "--run", "--", "/bin/sh", "-c", "test -e /etc").exitCode()).isEqualTo(1);
        Cli.Result r = cli.run("-b", B, "-d", "/etc:noexec", "--run", "--", "/bin/cat", "/etc/hostname");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(Files.readString(Path.of("/etc/hostname")));
    }

    @Test
    void noDefaultDirsLeavesNoBoxToStartIn() {
        Cli.Result r = cli.run("-b", B, "-D", "--run", "--", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("No such file or directory");
    }

    @Test
    void networkIsPrivateUnlessShared() throws Exception {
        String own = cli.run("-b", B, "--run", "--", "/bin/cat", "/proc/net/dev").stdout();
        assertThat(interfaces(own)).containsExactly("lo");
        String shared = cli.run("-b", B, "--share-net", "--run", "--", "/bin/cat", "/proc/net/dev").stdout();
        assertThat(interfaces(shared)).isEqualTo(interfaces(Files.readString(Path.of("/proc/net/dev"))));
    }

    /** Interface names from /proc/net/dev (the counters change between reads, the names do not). */
    private static List<String> interfaces(String procNetDev) {
        return procNetDev.lines().skip(2).map(l -> l.substring(0, l.indexOf(':')).trim()).toList();
    }
}
