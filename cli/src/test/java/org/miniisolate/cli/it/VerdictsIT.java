package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every way a run can end, with isolate's meta-file keys in isolate's order, its status line and its exit code.
 * The key order is part of the contract only in the sense that isolate writes facts as they happen; matching it
 * exactly keeps differential tests against isolate simple.
 */
class VerdictsIT {
    private static final int BOX = 21;
    private static final List<String> STATS = List.of("time", "time-wall", "max-rss", "csw-voluntary", "csw-forced");
    private static final String BUSY = "while :; do :; done";

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

    /** A run with {@code -M} to a fresh file; the meta-file comes back parsed. */
    private record Run(Cli.Result result, Meta meta) {
    }

    private static Run run(String... args) {
        try {
            Path metaFile = Files.createTempFile(cli.scratch(), "meta", ".txt");
            List<String> all = new ArrayList<>(List.of("-b", Integer.toString(BOX), "-M", metaFile.toString()));
            all.addAll(List.of(args));
            Cli.Result r = cli.run(all.toArray(String[]::new));
            Meta meta = Meta.parse(Files.readString(metaFile));
            Files.delete(metaFile);
            return new Run(r, meta);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> keys(List<String> before, List<String> after) {
        List<String> k = new ArrayList<>(before);
        k.addAll(after);
        return k;
    }

    @Test
    void ok() {
        Run r = run("--run", "--", "/bin/true");
        assertThat(r.result().exitCode()).isZero();
        assertThat(r.meta().keys()).isEqualTo(keys(STATS, List.of("exitcode")));
        assertThat(r.meta().get("exitcode")).isEqualTo("0");
        assertThat(Long.parseLong(r.meta().get("max-rss"))).isPositive();
        assertThat(r.meta().seconds("time")).isLessThan(0.1);
        assertThat(r.result().stderr()).matches("OK \\(\\d+\\.\\d{3} sec real, \\d+\\.\\d{3} sec wall\\)\n");
    }

    @Test
    void runtimeErrorPassesTheExitCodeThrough() {
        Run r = run("--run", "--", "/bin/sh", "-c", "exit 1");
        assertThat(r.result().exitCode()).isEqualTo(1);
        assertThat(r.meta().keys()).isEqualTo(keys(STATS, List.of("exitcode", "status", "message")));
        assertThat(r.meta().get("exitcode")).isEqualTo("1");
        assertThat(r.meta().get("status")).isEqualTo("RE");
        assertThat(r.meta().get("message")).isEqualTo("Exited with error status 1");
        assertThat(r.result().stderr()).isEqualTo("Exited with error status 1\n");
    }

    @Test
    void fatalSignalIsSG() {
        Run r = run("--run", "--", "/bin/sh", "-c", "kill -SEGV $$");
        assertThat(r.result().exitCode()).isEqualTo(1);
        assertThat(r.meta().keys()).isEqualTo(keys(STATS, List.of("exitsig", "status", "message")));
        assertThat(r.meta().get("exitsig")).isEqualTo("11");
        assertThat(r.meta().get("status")).isEqualTo("SG");
        assertThat(r.meta().get("message")).isEqualTo("Caught fatal signal 11");
        assertThat(r.result().stderr()).isEqualTo("Caught fatal signal 11\n");
    }

    @Test
    void missingProgramIsTheProgramsFailureWithExitCode127() {
        Run r = run("--run", "--", "/nonexistent");
        assertThat(r.result().exitCode()).isEqualTo(1);
        assertThat(r.meta().get("exitcode")).isEqualTo("127");
        assertThat(r.meta().get("status")).isEqualTo("RE");
        assertThat(r.result().stderr())
                .isEqualTo("execve(\"/nonexistent\"): No such file or directory\nExited with error status 127\n");
    }

    @Test
    void cpuLimitKillsABusyLoop() {
        Run r = run("-t", "1", "--run", "--", "/bin/sh", "-c", BUSY);
        assertThat(r.result().exitCode()).isEqualTo(1);
        assertThat(r.meta().keys()).isEqualTo(keys(List.of("status", "message", "killed"), STATS));
        assertThat(r.meta().get("status")).isEqualTo("TO");
        assertThat(r.meta().get("message")).isEqualTo("Time limit exceeded");
        assertThat(r.meta().get("killed")).isEqualTo("1");
        assertThat(r.meta().seconds("time")).isBetween(1.0, 1.2);
        assertThat(r.result().stderr()).isEqualTo("Time limit exceeded\n");
    }

    @Test
    void wallLimitKillsASleeper() {
        Run r = run("-w", "1", "--run", "--", "/bin/sleep", "10");
        assertThat(r.result().exitCode()).isEqualTo(1);
        assertThat(r.meta().keys()).isEqualTo(keys(List.of("status", "message", "killed"), STATS));
        assertThat(r.meta().get("message")).isEqualTo("Time limit exceeded (wall clock)");
        assertThat(r.meta().seconds("time-wall")).isBetween(1.0, 1.3);
        assertThat(r.meta().seconds("time")).isLessThan(0.1);
    }

    @Test
    void extraTimeAboveTheLimitIsTheKillCeiling() {
        Run r = run("-t", "1", "-x", "2", "--run", "--", "/bin/sh", "-c", BUSY);
        assertThat(r.meta().get("status")).isEqualTo("TO");
        assertThat(r.meta().get("killed")).isEqualTo("1");
        assertThat(r.meta().seconds("time")).isBetween(2.0, 2.25);
    }

    @Test
    void extraTimeBelowTheLimitChangesNothing() {
        Run r = run("-t", "1", "-x", "0.5", "--run", "--", "/bin/sh", "-c", BUSY);
        assertThat(r.meta().get("status")).isEqualTo("TO");
        assertThat(r.meta().seconds("time")).isBetween(1.0, 1.2);
    }

    @Test
    void cpuLimitExceededWithinExtraTimeIsTOWithoutKill() {
        // About 0.5 s of CPU: over -t, under the -x ceiling, so the program ends by itself and is still TO.
        Run r = run("-t", "0.1", "-x", "30", "--run", "--", "/bin/sh", "-c",
                "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done");
        assertThat(r.result().exitCode()).isEqualTo(1);
        assertThat(r.meta().keys()).isEqualTo(keys(STATS, List.of("status", "message")));
        assertThat(r.meta().get("status")).isEqualTo("TO");
        assertThat(r.meta().get("message")).isEqualTo("Time limit exceeded");
        assertThat(r.meta().seconds("time")).isGreaterThan(0.1);
    }

    @Test
    void setupFailureIsXXWithoutStatistics() {
        Run r = run("-c", "/nonexistent", "--run", "--", "/bin/true");
        assertThat(r.result().exitCode()).isEqualTo(2);
        assertThat(r.meta().keys()).containsExactly("status", "message");
        assertThat(r.meta().get("status")).isEqualTo("XX");
        assertThat(r.meta().get("message")).isEqualTo("chdir: No such file or directory");
        assertThat(r.result().stderr()).isEqualTo("chdir: No such file or directory\n");
    }

    @Test
    void metaToStdoutFollowsTheProgramsOutput() {
        Cli.Result r = cli.run("-b", Integer.toString(BOX), "-M", "-", "--run", "--", "/bin/echo", "hi");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("hi\n");
        Meta meta = Meta.parse(r.stdout().substring(3));
        assertThat(meta.keys()).isEqualTo(keys(STATS, List.of("exitcode")));
    }

    @Test
    void silentDropsTheStatusLineButNotInternalErrors() {
        Cli.Result failed = cli.run("-b", Integer.toString(BOX), "-s", "--run", "--", "/bin/sh", "-c", "exit 3");
        assertThat(failed.exitCode()).isEqualTo(1);
        assertThat(failed.stderr()).isEmpty();

        Cli.Result ok = cli.run("-b", Integer.toString(BOX), "-s", "--run", "--", "/bin/true");
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.stderr()).isEmpty();

        Cli.Result xx = cli.run("-b", Integer.toString(BOX), "-s", "-c", "/nonexistent", "--run", "--", "/bin/true");
        assertThat(xx.exitCode()).isEqualTo(2);
        assertThat(xx.stderr()).isEqualTo("chdir: No such file or directory\n");
    }
}
