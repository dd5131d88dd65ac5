package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A judge that gives up on a run signals mini-isolate; the box must stop, the meta-file must say "Interrupted"
 * (isolate's report for a keeper that received SIGINT, SIGTERM or SIGHUP) and no box process may survive.
 */
class InterruptIT {
    private static final int BOX = 93;
    private static final int BOX_UID = 60000 + BOX;

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

    @ParameterizedTest
    @CsvSource({"TERM, 15", "INT, 2"})
    void stopSignalKillsTheBoxAndIsReportedAsInterrupted(String name, int number) throws Exception {
        // A signal ignored by whoever started the tests stays ignored in the JVMs they start: nothing to test then.
        assumeFalse(ignoredHere(number), "SIG" + name + " is ignored in this environment");
        // The uid is machine-wide: another build running this test at the same time would confuse the check.
        assumeTrue(BoxProcesses.count(BOX_UID) == 0, "uid " + BOX_UID + " is busy on this machine");
        Path meta = cli.scratch().resolve("interrupt-" + name + ".meta");
        Cli.Running running = cli.start(List.of("-b", Integer.toString(BOX), "-M", meta.toString(),
                "--run", "--", "/bin/sleep", "30"));
        assertThat(BoxProcesses.awaitSome(BOX_UID, Duration.ofSeconds(20))).as("the program started").isTrue();

        long signalled = System.nanoTime();
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(running.process().pid())).start();
        assertThat(kill.waitFor()).isZero();
        Cli.Result r = running.await();

        assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("Interrupted\n");
        Meta m = Meta.parse(Files.readString(meta));
        assertThat(m.keys()).containsExactly("exitsig", "status", "message", "killed",
                "time", "time-wall", "max-rss", "csw-voluntary", "csw-forced");
        assertThat(m.get("exitsig")).isEqualTo(Integer.toString(number));
        assertThat(m.get("status")).isEqualTo("SG");
        assertThat(m.get("message")).isEqualTo("Interrupted");
        assertThat(m.get("killed")).isEqualTo("1");
        assertThat(BoxProcesses.awaitNone(BOX_UID, Duration.ofSeconds(2))).as("box processes left").isZero();
        Files.delete(meta);
    }

    /** Whether this JVM (and so the ones it starts) has {@code signal} ignored. */
    private static boolean ignoredHere(int signal) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                long mask = Long.parseUnsignedLong(line.substring(7).trim(), 16);
                return (mask & (1L << (signal - 1))) != 0;
            }
        }
        return false;
    }
}
