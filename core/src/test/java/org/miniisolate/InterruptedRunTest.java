package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.RunSpec;

/**
 * A caller interrupted while its box is being started (the CLI does this on SIGTERM) must still get a result, and
 * the box must be stopped, not left running behind an exception.
 */
@EveryBoxKind
class InterruptedRunTest {
    private static final int BOX = 41;
    private final Boxes boxes;

    InterruptedRunTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void interruptionDuringStartStopsTheBoxAndIsReported() throws Exception {
        ProgramBox box = boxes.box(BOX);
        long start = System.nanoTime();
        RunResult r;
        Thread.currentThread().interrupt();
        try {
            r = box.run(RunSpec.of("/bin/sleep", "30").build());
        } finally {
            Thread.interrupted();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(r.verdict()).as(r.message()).isEqualTo(Verdict.INTERRUPTED);
        assertThat(r.killed()).isTrue();
        // A killed box's last processes may linger for a moment as zombies: poll briefly.
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        long left = processesOfUid(box.identity().uid());
        while (left > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            left = processesOfUid(box.identity().uid());
        }
        assertThat(left).as("processes of the box left").isZero();
    }

    /** Host processes running as {@code uid}: a box left behind shows up here. */
    private static long processesOfUid(int uid) throws IOException {
        String wanted = "\t" + uid + "\t";
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
                    .filter(p -> {
                        try {
                            return Files.readAllLines(p.resolve("status")).stream()
                                    .anyMatch(l -> l.startsWith("Uid:") && (l + "\t").contains(wanted));
                        } catch (IOException | RuntimeException gone) {
                            return false;
                        }
                    })
                    .count();
        }
    }
}
