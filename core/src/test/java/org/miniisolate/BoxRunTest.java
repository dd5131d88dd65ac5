package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

@EveryBoxKind(cgroups = true)
class BoxRunTest {
    private final Boxes boxes;

    BoxRunTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void exitCodeIsPassedThrough() {
        ProgramBox box = boxes.box(0);
        RunResult r = box.run(RunSpec.of("/bin/sh", "-c", "exit 7").build());
        assertThat(r.verdict()).isEqualTo(Verdict.RUNTIME_ERROR);
        assertThat(r.exitCode()).hasValue(7);
        assertThat(r.message()).isEqualTo("Exited with error status 7");
    }

    @Test
    void okRunReportsStatistics() {
        ProgramBox box = boxes.box(0);
        RunResult r = box.run(RunSpec.of("/bin/true").build());
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        assertThat(r.started()).isTrue();
        assertThat(r.maxRssKib()).isPositive();
        assertThat(r.cpuTime()).isLessThan(Duration.ofMillis(50));
    }

    @Test
    void busyLoopHitsCpuLimit() {
        ProgramBox box = boxes.box(0);
        RunResult r = box.run(RunSpec.of("/bin/sh", "-c", "while :; do :; done")
                .limits(Limits.DEFAULTS.withCpuTime(Duration.ofSeconds(1))).build());
        assertThat(r.verdict()).isEqualTo(Verdict.TIME_LIMIT);
        assertThat(r.killed()).isTrue();
        assertThat(r.cpuTime()).isBetween(Duration.ofMillis(1000), Duration.ofMillis(1200));
    }

    @Test
    void writesIntoTheBoxAreHandedBack() throws Exception {
        ProgramBox box = boxes.box(0);
        RunResult r = box.run(RunSpec.of("/bin/sh", "-c", "echo hello > out.txt; exec id -u")
                .io(new Io(null, "stdout.txt", null, false)).build());
        assertThat(r.verdict()).isEqualTo(Verdict.OK);
        Path out = box.workDirectory().resolve("out.txt");
        assertThat(Files.readString(out)).isEqualTo("hello\n");
        assertThat(Files.readString(box.workDirectory().resolve("stdout.txt"))).isEqualTo("60000\n");
        assertThat(Files.getAttribute(out, "unix:uid")).isEqualTo(0);
    }
}
