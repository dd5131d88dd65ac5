package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.RunSpec;

/**
 * A box's files across init, run, hand-back and cleanup. Files in and out and the hand-back hold
 * for both kinds of box; init and cleanup are a fresh box's lifecycle (a pooled box has leases
 * instead, wiped when returned: WarmPoolTest), so those tests run with fresh boxes only.
 */
@EveryBoxKind
class LifecycleTest {
    private static final int BOX = 5;
    private final Boxes boxes;

    LifecycleTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void filesPutIntoTheBoxBeforeTheRunAreVisibleInBox() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("read_file", box);
        Files.createDirectory(box.workDirectory().resolve("data"));
        Files.writeString(box.workDirectory().resolve("data/input.txt"), "from the caller\n");

        Captured c = Captured.run(box, "/box/read_file", "/box/data/input.txt");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.out()).isEqualTo("from the caller\n");
    }

    @Test
    void filesTheProgramWritesSurviveAndBelongToTheOwner() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("make_files", box);

        Captured c = Captured.run(box, "./make_files");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.out()).isEqualTo("made\n");
        Path work = box.workDirectory();
        assertThat(Files.readString(work.resolve("result.txt"))).isEqualTo("42\n");
        assertThat(Files.readString(work.resolve("sub/inner.txt"))).isEqualTo("inner\n");
        for (Path p : new Path[] {work, work.resolve("result.txt"), work.resolve("sub"), work.resolve("sub/inner.txt")}) {
            assertThat(Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS)).as("owner of %s", p).isEqualTo(0);
            assertThat(Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS)).as("group of %s", p).isEqualTo(0);
        }
    }

    @Test
    void symlinksAndFifosTheProgramMadeAreRemovedAtHandBack() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("make_files", box);

        Captured c = Captured.run(box, "./make_files");

        assertThat(c.out()).as("%s", c).isEqualTo("made\n");
        Path work = box.workDirectory();
        for (String gone : new String[] {"link", "fifo", "sub/link", "sub/fifo"}) {
            assertThat(Files.exists(work.resolve(gone), LinkOption.NOFOLLOW_LINKS)).as(gone).isFalse();
        }
        assertThat(work.resolve("result.txt")).isRegularFile();
        assertThat(work.resolve("sub/inner.txt")).isRegularFile();
    }

    @Test
    void cleanupRemovesTheBoxDirectory() {
        Box box = boxes.freshOnly(BOX);
        TestPrograms.install("make_files", box);
        assertThat(Captured.run(box, "./make_files").out()).isEqualTo("made\n");

        box.cleanup();

        assertThat(box.directory()).doesNotExist();
        assertThat(box.isInitialized()).isFalse();
        box.cleanup(); // a second cleanup is fine
    }

    @Test
    void initOnAnExistingBoxResetsIt() throws Exception {
        Box box = boxes.freshOnly(BOX);
        TestPrograms.install("make_files", box);
        assertThat(Captured.run(box, "./make_files").out()).isEqualTo("made\n");

        Path dir = box.init();

        assertThat(dir).isEqualTo(box.directory());
        try (var entries = Files.list(box.workDirectory())) {
            assertThat(entries).isEmpty();
        }
        assertThat(Files.getAttribute(box.workDirectory(), "unix:uid")).isEqualTo(0);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(box.workDirectory()))).isEqualTo("rwx------");
    }

    @Test
    void runOnAnUninitializedBoxThrows() {
        boxes.freshOnly(BOX + 1);
        Box box = boxes.sandbox().box(BOX + 1);
        box.cleanup();

        assertThatThrownBy(() -> box.run(RunSpec.of("/bin/true").build()))
                .isInstanceOf(SandboxException.class)
                .hasMessageContaining("Box not found");
        assertThat(box.directory()).doesNotExist();
    }

    @Test
    void runAfterCleanupThrows() {
        Box box = boxes.freshOnly(BOX);
        box.cleanup();

        assertThatThrownBy(() -> box.run(RunSpec.of("/bin/true").build())).isInstanceOf(SandboxException.class);
    }
}
