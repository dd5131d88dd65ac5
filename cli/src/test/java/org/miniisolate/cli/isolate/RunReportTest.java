package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;

/** isolate's meta-file order, status line and exit code for every kind of result, without running anything. */
class RunReportTest {
    private static final String STATS = "time:1.234\ntime-wall:2.005\nmax-rss:1500\ncsw-voluntary:3\ncsw-forced:4\n";

    private final StringWriter meta = new StringWriter();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private RunReport report(boolean silent) {
        return new RunReport(new MetaFile(meta, true), new PrintStream(err, true, StandardCharsets.UTF_8), silent);
    }

    private static RunResult result(Verdict v, OptionalInt exit, OptionalInt signal, boolean killed, String message) {
        return new RunResult(v, true, exit, signal, Duration.ofMillis(1234), Duration.ofMillis(2005), 1500, 3, 4,
                killed, message);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ok() throws Exception {
        int code = report(false).report(result(Verdict.OK, OptionalInt.of(0), OptionalInt.empty(), false, ""), 0);
        assertThat(code).isZero();
        assertThat(meta.toString()).isEqualTo(STATS + "exitcode:0\n");
        assertThat(stderr()).isEqualTo("OK (1.234 sec real, 2.005 sec wall)\n");
    }

    @Test
    void runtimeError() throws Exception {
        int code = report(false).report(result(Verdict.RUNTIME_ERROR, OptionalInt.of(3), OptionalInt.empty(), false,
                "Exited with error status 3"), 0);
        assertThat(code).isEqualTo(1);
        assertThat(meta.toString()).isEqualTo(STATS + "exitcode:3\nstatus:RE\nmessage:Exited with error status 3\n");
        assertThat(stderr()).isEqualTo("Exited with error status 3\n");
    }

    @Test
    void signaled() throws Exception {
        int code = report(false).report(result(Verdict.SIGNALED, OptionalInt.empty(), OptionalInt.of(11), false,
                "Caught fatal signal 11"), 0);
        assertThat(code).isEqualTo(1);
        assertThat(meta.toString()).isEqualTo(STATS + "exitsig:11\nstatus:SG\nmessage:Caught fatal signal 11\n");
    }

    @Test
    void killedForTimePutsTheStatusFirst() throws Exception {
        int code = report(false).report(result(Verdict.WALL_TIME_LIMIT, OptionalInt.empty(), OptionalInt.empty(), true,
                "Time limit exceeded (wall clock)"), 0);
        assertThat(code).isEqualTo(1);
        assertThat(meta.toString())
                .isEqualTo("status:TO\nmessage:Time limit exceeded (wall clock)\nkilled:1\n" + STATS);
        assertThat(stderr()).isEqualTo("Time limit exceeded (wall clock)\n");
    }

    @Test
    void overTheLimitAfterANaturalEndHasNoExitCode() throws Exception {
        int code = report(false).report(result(Verdict.TIME_LIMIT, OptionalInt.empty(), OptionalInt.empty(), false,
                "Time limit exceeded"), 0);
        assertThat(code).isEqualTo(1);
        assertThat(meta.toString()).isEqualTo(STATS + "status:TO\nmessage:Time limit exceeded\n");
    }

    @Test
    void interruptionWinsOverWhatTheBoxReported() throws Exception {
        int code = report(false).report(result(Verdict.SIGNALED, OptionalInt.empty(), OptionalInt.of(9), false,
                "Caught fatal signal 9"), 15);
        assertThat(code).isEqualTo(1);
        assertThat(meta.toString()).isEqualTo("exitsig:15\nstatus:SG\nmessage:Interrupted\nkilled:1\n" + STATS);
        assertThat(stderr()).isEqualTo("Interrupted\n");
    }

    @Test
    void interruptedBeforeTheProgramStartedHasNoStatistics() throws Exception {
        RunResult notStarted = new RunResult(Verdict.INTERRUPTED, false, OptionalInt.empty(), OptionalInt.empty(),
                Duration.ZERO, Duration.ZERO, 0, 0, 0, true, "Interrupted");
        report(false).report(notStarted, 2);
        assertThat(meta.toString()).isEqualTo("exitsig:2\nstatus:SG\nmessage:Interrupted\nkilled:1\n");
    }

    @Test
    void internalErrorBeforeTheRunIsStatusAndMessageOnlyAndIgnoresSilent() throws Exception {
        int code = report(true).report(RunResult.internalError("chdir: No such file or directory"), 0);
        assertThat(code).isEqualTo(2);
        assertThat(meta.toString()).isEqualTo("status:XX\nmessage:chdir: No such file or directory\n");
        assertThat(stderr()).isEqualTo("chdir: No such file or directory\n");
    }

    @Test
    void internalErrorWhileRunningIsKilledWithStatistics() throws Exception {
        int code = report(true).report(result(Verdict.INTERNAL_ERROR, OptionalInt.empty(), OptionalInt.empty(), true,
                "the box ended unexpectedly"), 0);
        assertThat(code).isEqualTo(2);
        assertThat(meta.toString()).isEqualTo("status:XX\nmessage:the box ended unexpectedly\nkilled:1\n" + STATS);
        assertThat(stderr()).isEqualTo("the box ended unexpectedly\n");
    }

    @Test
    void silentSuppressesTheStatusLineOfProgramFailures() throws Exception {
        report(true).report(result(Verdict.OK, OptionalInt.of(0), OptionalInt.empty(), false, ""), 0);
        report(true).report(result(Verdict.RUNTIME_ERROR, OptionalInt.of(1), OptionalInt.empty(), false, "x"), 0);
        assertThat(stderr()).isEmpty();
    }

    private static RunResult cgResult(Verdict v, OptionalInt exit, OptionalInt signal, long cgMemKib, boolean oom) {
        return new RunResult(v, true, exit, signal, Duration.ofMillis(1234), Duration.ofMillis(2005), 1500, 3, 4,
                false, signal.isPresent() ? "Caught fatal signal " + signal.getAsInt() : "", OptionalLong.of(cgMemKib),
                oom);
    }

    @Test
    void cgroupOomKillIsReportedAsTheSignalWithTheCgroupFiguresAfterTheStatistics() throws Exception {
        int code = report(false).report(cgResult(Verdict.MEMORY_LIMIT, OptionalInt.empty(), OptionalInt.of(9), 32768,
                true), 0);
        assertThat(code).isEqualTo(1);
        assertThat(meta.toString()).isEqualTo(STATS + "cg-mem:32768\ncg-oom-killed:1\nexitsig:9\nstatus:SG\n"
                + "message:Caught fatal signal 9\n");
        assertThat(stderr()).isEqualTo("Caught fatal signal 9\n");
    }

    @Test
    void aSurvivedOomKillOfAChildIsStillOkOrAnExitCodeAsInIsolate() throws Exception {
        int ok = report(false).report(cgResult(Verdict.MEMORY_LIMIT, OptionalInt.of(0), OptionalInt.empty(), 100,
                true), 0);
        assertThat(ok).isZero();
        assertThat(meta.toString()).isEqualTo(STATS + "cg-mem:100\ncg-oom-killed:1\nexitcode:0\n");
        assertThat(stderr()).startsWith("OK (");

        meta.getBuffer().setLength(0);
        int re = report(true).report(cgResult(Verdict.MEMORY_LIMIT, OptionalInt.of(3), OptionalInt.empty(), 100,
                true), 0);
        assertThat(re).isEqualTo(1);
        assertThat(meta.toString()).isEqualTo(STATS + "cg-mem:100\ncg-oom-killed:1\nexitcode:3\nstatus:RE\n"
                + "message:Exited with error status 3\n");
    }

    @Test
    void cgMemIsWrittenOnlyWhenKnownAndAboveZero() throws Exception {
        report(false).report(cgResult(Verdict.OK, OptionalInt.of(0), OptionalInt.empty(), 2048, false), 0);
        assertThat(meta.toString()).isEqualTo(STATS + "cg-mem:2048\nexitcode:0\n");
        meta.getBuffer().setLength(0);
        report(false).report(cgResult(Verdict.OK, OptionalInt.of(0), OptionalInt.empty(), 0, false), 0);
        assertThat(meta.toString()).isEqualTo(STATS + "exitcode:0\n");
    }
}
