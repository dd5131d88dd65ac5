package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Limits;

/**
 * No box process outlives its run or its caller. The boxes here use ids (and so uids) no other
 * test uses, so "no process of this uid" means exactly "nothing of this box".
 */
@EveryBoxKind
class NothingSurvivesTest {
    private static final int ORPHAN_BOX = 977;
    private static final int JVM_BOX = 978;
    private final Boxes boxes;

    NothingSurvivesTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void aDetachedOrphanDoesNotOutliveTheRun() {
        ProgramBox box = boxes.box(ORPHAN_BOX);
        TestPrograms.install("orphan_sleep", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withProcesses(0).withWallTime(Duration.ofSeconds(20)), "./orphan_sleep", "1000");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        assertThat(c.out()).isEqualTo("orphan started\n");
        assertThat(HostProcesses.withUid(box.identity().uid())).isEmpty();
    }

    @Test
    void killingTheCallerJvmLeavesNoBoxProcess() throws Exception {
        int uid = boxes.box(JVM_BOX).identity().uid();
        assertThat(HostProcesses.withUid(uid)).isEmpty();
        Path log = Files.createTempFile("mini-isolate-child", ".log");
        Process child = ChildJvm.builder(boxes, JVM_BOX, "sleeper", "1000")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            boolean started = HostProcesses.awaitSomeWithUid(uid, Duration.ofSeconds(30));
            assertThat(started).as("box process appeared; child said:\n%s", Files.readString(log)).isTrue();
            assertThat(child.isAlive()).isTrue();

            Libc.kill((int) child.pid(), Libc.SIGKILL);
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            assertThat(HostProcesses.awaitNoneWithUid(uid, Duration.ofSeconds(5))).isEmpty();
        } finally {
            if (child.isAlive()) {
                Libc.kill((int) child.pid(), Libc.SIGKILL);
                child.waitFor();
            }
            Files.delete(log);
        }
    }
}
