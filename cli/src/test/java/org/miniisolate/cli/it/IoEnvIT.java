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

    /** A directory of the box's own tree, to be bound in with a "./" rule (relative to the box directory). */
    private static Path sharedDir() throws Exception {
        Path shared = Files.createDirectories(inBox("shared"));
        Files.writeString(shared.resolve("data.txt"), "shared data\n");
        return shared;
    }

    @Test
    void aRelativeBindIsReadOnlyUnlessRw() throws Exception {
        sharedDir();
        Cli.Result read = cli.run("-b", B, "-d", "/data=./box/shared", "--run", "--", "/bin/cat", "/data/data.txt");
        assertThat(read.stdout()).isEqualTo("shared data\n");
        Cli.Result ro = cli.run("-b", B, "-d", "/data=./box/shared", "--run", "--", "/bin/sh", "-c",
                "echo x > /data/new");
        assertThat(ro.exitCode()).isEqualTo(1);
        assertThat(ro.stderr()).contains("Read-only file system");
        Cli.Result rw = cli.run("-b", B, "-d", "/data=./box/shared:rw", "--run", "--", "/bin/sh", "-c",
                "echo x > /data/new");
        assertThat(rw.exitCode()).as(rw.stderr()).isZero();
        assertThat(inBox("shared/new")).hasContent("x");
    }

    @Test
    void noexecStopsProgramsOnThatMountOnly() throws Exception {
        Files.copy(Path.of("/bin/true"), sharedDir().resolve("true"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(cli.run("-b", B, "-d", "/x=./box/shared", "--run", "--", "/x/true").exitCode()).isZero();
        Cli.Result r = cli.run("-b", B, "-d", "/x=./box/shared:noexec", "--run", "--", "/x/true");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("execve(\"/x/true\"): Permission denied");
    }

    @Test
    void anEmptyRightHandSideRemovesADefaultRule() {
        assertThat(cli.run("-b", B, "--run", "--", "/bin/sh", "-c", "test -d /tmp").exitCode()).isZero();
        assertThat(cli.run("-b", B, "-d", "tmp=", "--run", "--", "/bin/sh", "-c", "test -d /tmp").exitCode())
                .isEqualTo(1);
        assertThat(cli.run("-b", B, "-d", "/proc=", "--run", "--", "/bin/sh", "-c", "test -d /proc/self").exitCode())
                .isEqualTo(1);
    }

    @Test
    void withoutDefaultsOnlyTheRulesGivenExistIncludingAnExplicitBox() {
        Cli.Result r = cli.run("-b", B, "-D", "-d", "box=./box:rw", "-d", "/bin", "-d", "/lib", "-d", "/lib64:maybe",
                "-d", "/usr", "--run", "--", "/bin/ls", "/");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout().lines().toList()).contains("bin", "box", "lib", "usr")
                .doesNotContain("proc", "dev", "tmp", "etc");
    }

    @Test
    void maybeSkipsAMissingDirectoryWhichIsOtherwiseAnInternalError() {
        assertThat(cli.run("-b", B, "-d", "/no-such-dir-anywhere:maybe", "--run", "--", "/bin/true").exitCode())
                .isZero();
        Cli.Result r = cli.run("-b", B, "-d", "/no-such-dir-anywhere", "--run", "--", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("Cannot mount /no-such-dir-anywhere on /no-such-dir-anywhere");
    }

    @Test
    void fsRulesMountAFreshFilesystemOfAnAllowedType() {
        Cli.Result tmpfs = cli.run("-b", B, "-d", "/scratch=tmpfs:fs:rw", "--run", "--", "/bin/sh", "-c",
                "echo hi > /scratch/f && read line < /scratch/f && echo $line");
        assertThat(tmpfs.stdout()).isEqualTo("hi\n");
        Cli.Result ro = cli.run("-b", B, "-d", "/scratch=tmpfs:fs", "--run", "--", "/bin/sh", "-c", "echo hi > /scratch/f");
        assertThat(ro.exitCode()).isEqualTo(1);
        assertThat(cli.run("-b", B, "-d", "/sys=sysfs:fs", "--run", "--", "/bin/sh", "-c", "test -d /sys/kernel")
                .exitCode()).isZero();
        Cli.Result refused = cli.run("-b", B, "-d", "/x=ext4:fs", "--run", "--", "/bin/true");
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).startsWith("This filesystem is not supported: ext4");
    }

    @Test
    void tmpRulesAreWritablePrivateAndKeptAcrossRunsOfOneInit() {
        Cli.Result write = cli.run("-b", B, "-d", "/work:tmp", "--run", "--", "/bin/sh", "-c", "echo kept > /work/f");
        assertThat(write.exitCode()).as(write.stderr()).isZero();
        Cli.Result read = cli.run("-b", B, "-d", "/work:tmp", "--run", "--", "/bin/cat", "/work/f");
        assertThat(read.stdout()).isEqualTo("kept\n");
        Cli.Result bad = cli.run("-b", B, "-d", "/work=/tmp:tmp", "--run", "--", "/bin/true");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.stderr()).contains("'tmp' takes no outside path");
    }

    @Test
    void envRulesApplyInOrderAndValuesMayContainEquals() {
        Cli.Result r = cli.runWithEnv(Map.of("MI_TEST_VAR", "from-caller"), "-b", B, "-E", "X=1", "-E", "X=2",
                "--env=Y=a=b", "-e", "-E", "MI_TEST_VAR=", "--run", "--", "/usr/bin/env");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("X=2\n", "Y=a=b\n", "LIBC_FATAL_STDERR_=1\n")
                .doesNotContain("X=1", "MI_TEST_VAR");
    }
}
