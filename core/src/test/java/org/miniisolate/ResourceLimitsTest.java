package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Limits;

/** The rlimits a run sets: each one stops the program that crosses it, and only that one. */
@EveryBoxKind(cgroups = true)
class ResourceLimitsTest {
    private static final int BOX = 3;
    private final Boxes boxes;

    ResourceLimitsTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void addressSpaceLimitMakesLargeMallocFail() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("big_malloc", box);

        Captured limited = Captured.run(box, Limits.DEFAULTS.withAddressSpaceKib(64 * 1024), "./big_malloc", "512");
        assertThat(limited.result().verdict()).as("%s", limited).isEqualTo(Verdict.RUNTIME_ERROR);
        assertThat(limited.result().exitCode()).hasValue(3);
        assertThat(limited.out()).isEqualTo("malloc failed: ENOMEM\n");

        // The same request without the limit succeeds: it was the limit that refused it.
        Captured unlimited = Captured.run(box, Limits.DEFAULTS, "./big_malloc", "512");
        assertThat(unlimited.result().verdict()).as("%s", unlimited).isEqualTo(Verdict.OK);
        assertThat(unlimited.out()).isEqualTo("malloc ok\n");
    }

    @Test
    void fileSizeLimitEndsTheProgramWithSigxfsz() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("write_file", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withFileSizeKib(1024), "./write_file", "big.bin", "4096");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.SIGNALED);
        assertThat(c.result().signal()).hasValue(25);
        assertThat(Files.size(box.workDirectory().resolve("big.bin"))).isEqualTo(1024 * 1024);
    }

    @Test
    void oneProcessAllowsNoFork() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("fork_once", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withProcesses(1), "./fork_once");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.out()).isEqualTo("fork failed: EAGAIN\n");
    }

    @Test
    void unlimitedProcessesAllowFork() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("fork_once", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withProcesses(0), "./fork_once");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.out()).isEqualTo("fork ok\n");
    }

    @Test
    void deepRecursionOnSmallStackDiesWithSigsegv() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("recurse", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withStackKib(1024), "./recurse", "65536");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.SIGNALED);
        assertThat(c.result().signal()).hasValue(11);
        assertThat(c.out()).isEmpty();
    }

    @Test
    void deepRecursionOnLargeStackSucceeds() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("recurse", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withStackKib(256 * 1024), "./recurse", "65536");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.out()).startsWith("depth reached");
    }

    @Test
    void openFilesLimitGivesEmfile() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("open_many", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withOpenFiles(10), "./open_many", "100");

        // 0, 1 and 2 are open, so descriptors 3 to 9 are all that is left.
        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.out()).isEqualTo("opened 7, then EMFILE\n");
    }

    @Test
    void coreFilesAreNotWrittenByDefault() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("die_by_signal", box);

        Captured c = Captured.run(box, Limits.DEFAULTS, "./die_by_signal", "segv");

        assertThat(c.result().signal()).hasValue(11);
        try (var files = Files.list(box.workDirectory())) {
            assertThat(files.map(Path::getFileName).map(Path::toString)).containsExactly("die_by_signal");
        }
    }
}
