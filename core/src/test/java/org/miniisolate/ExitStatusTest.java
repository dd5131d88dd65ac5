package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.RunSpec;

/** How the program ended reaches the result unchanged: exit codes, fatal signals, exec failures. */
@EveryBoxKind(cgroups = true)
class ExitStatusTest {
    private static final int BOX = 1;
    private final Boxes boxes;

    ExitStatusTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void exitCodeIsPassedThrough() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("exit_with", box);

        RunResult failed = box.run(RunSpec.of("./exit_with", "42").build());
        assertThat(failed.verdict()).isEqualTo(Verdict.RUNTIME_ERROR);
        assertThat(failed.exitCode()).hasValue(42);
        assertThat(failed.signal()).isEmpty();
        assertThat(failed.killed()).isFalse();
        assertThat(failed.message()).isEqualTo("Exited with error status 42");

        RunResult ok = box.run(RunSpec.of("./exit_with", "0").build());
        assertThat(ok.verdict()).isEqualTo(Verdict.OK);
        assertThat(ok.exitCode()).hasValue(0);
    }

    @Test
    void segmentationFaultIsReportedAsSignal() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("die_by_signal", box);

        RunResult r = box.run(RunSpec.of("./die_by_signal", "segv").build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.SIGNALED);
        assertThat(r.signal()).hasValue(11);
        assertThat(r.exitCode()).isEmpty();
        assertThat(r.killed()).isFalse();
        assertThat(r.message()).isEqualTo("Caught fatal signal 11");
    }

    @Test
    void signalSentToItselfIsReported() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("die_by_signal", box);

        RunResult r = box.run(RunSpec.of("./die_by_signal", "15").build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.SIGNALED);
        assertThat(r.signal()).hasValue(15);
        assertThat(r.killed()).isFalse();
    }

    @Test
    void programThatCannotBeExecutedExitsWith127() {
        ProgramBox box = boxes.box(BOX);

        Captured c = Captured.run(box, "./no-such-program");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.RUNTIME_ERROR);
        assertThat(c.result().exitCode()).hasValue(127);
        assertThat(c.err()).contains("execve(\"./no-such-program\"): No such file or directory");
    }
}
