package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One box, two judges: the second refuses while the first runs, or waits for it with --wait. */
class LockingIT {
    private static final int FIRST_UID = 64300;
    private static final int BOX = 2;
    private static final String B = Integer.toString(BOX);

    private static Cli cli;

    @BeforeAll
    static void open() {
        cli = Cli.open();
        cli.configure("first_uid = " + FIRST_UID, "first_gid = " + FIRST_UID, "num_boxes = 4");
        cli.init(BOX);
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    /**
     * Starts a run that holds the box for {@code seconds} (each invocation of mini-isolate takes a JVM start, up to
     * a second on a busy machine), and returns once its program is running.
     */
    private static Cli.Running holdTheBox(int seconds) throws Exception {
        Cli.Running first = cli.start(List.of("-b", B, "-p", "--run", "--", "/bin/sh", "-c",
                "/bin/sleep " + seconds + "; /bin/date +%s%N > first.txt"));
        assertThat(BoxProcesses.awaitSome(FIRST_UID + BOX, Duration.ofSeconds(20))).as("first run started").isTrue();
        return first;
    }

    @Test
    void aSecondRunOnABusyBoxIsRefused() throws Exception {
        Cli.Running first = holdTheBox(4);
        Cli.Result second = cli.run("-b", B, "--run", "--", "/bin/true");
        assertThat(second.exitCode()).isEqualTo(2);
        assertThat(second.stderr()).contains("currently in use").contains("--wait");

        // Not only --run: every command on the box refuses while it is busy.
        Cli.Result cleanup = cli.run("-b", B, "--cleanup");
        assertThat(cleanup.exitCode()).isEqualTo(2);
        assertThat(cleanup.stderr()).contains("currently in use");

        assertThat(first.process().isAlive()).as("the first run outlived the refusals").isTrue();
        assertThat(first.await().exitCode()).isZero();
        assertThat(cli.workDir(BOX)).isDirectory();
    }

    @Test
    void waitSerializesTheRuns() throws Exception {
        Cli.Running first = holdTheBox(1);
        Cli.Result second = cli.run("-b", B, "--wait", "--run", "--", "/bin/date", "+%s%N");
        Cli.Result firstResult = first.await();
        assertThat(firstResult.exitCode()).isZero();
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        long firstDone = Long.parseLong(Files.readString(cli.workDir(BOX).resolve("first.txt")).strip());
        long secondRan = Long.parseLong(second.stdout().strip());
        assertThat(secondRan).as("the waiting run ran after the first had finished").isGreaterThan(firstDone);
    }
}
