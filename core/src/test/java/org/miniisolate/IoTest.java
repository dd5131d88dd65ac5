package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.RunSpec;

/** Standard streams: redirected to and from box files, merged, inherited, and large. */
@EveryBoxKind(cgroups = true)
class IoTest {
    private static final int BOX = 4;
    private static final int BIG_MIB = 50;
    private final Boxes boxes;

    IoTest(Boxes boxes) {
        this.boxes = boxes;
    }

    @Test
    void stdinStdoutAndStderrGoToTheirFiles() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("io_echo", box);
        Files.writeString(box.workDirectory().resolve("in.txt"), "question\n");

        RunResult r = box.run(RunSpec.of("./io_echo").io(new Io("in.txt", "out.txt", "err.txt", false)).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.OK);
        assertThat(Files.readString(box.workDirectory().resolve("out.txt"))).isEqualTo("out:question\n");
        assertThat(Files.readString(box.workDirectory().resolve("err.txt"))).isEqualTo("err:question\n");
    }

    @Test
    void stderrToStdoutMergesBothIntoOneFile() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("io_echo", box);
        Files.writeString(box.workDirectory().resolve("in.txt"), "x\n");

        RunResult r = box.run(RunSpec.of("./io_echo").io(new Io("in.txt", "out.txt", null, true)).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.OK);
        assertThat(Files.readString(box.workDirectory().resolve("out.txt"))).isEqualTo("out:x\nerr:x\n");
        assertThat(box.workDirectory().resolve("err.txt")).doesNotExist();
    }

    @Test
    void missingStdinFileIsAnInternalError() {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("io_echo", box);

        RunResult r = box.run(RunSpec.of("./io_echo").io(new Io("absent.txt", null, null, false)).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.INTERNAL_ERROR);
        assertThat(r.message()).isEqualTo("open(\"absent.txt\"): No such file or directory");
    }

    @Test
    void fiftyMegabytesToARedirectedFileArriveComplete() throws Exception {
        ProgramBox box = boxes.box(BOX);
        TestPrograms.install("big_output", box);

        RunResult r = box.run(RunSpec.of("./big_output", Integer.toString(BIG_MIB))
                .io(new Io(null, "big.bin", "err.txt", false)).build());

        assertThat(r.verdict()).as("%s", r).isEqualTo(Verdict.OK);
        Path big = box.workDirectory().resolve("big.bin");
        assertThat(Files.size(big)).isEqualTo(BIG_MIB << 20);
        assertThat(sha256(big)).isEqualTo(expectedSha256(BIG_MIB));
        assertThat(Files.readString(box.workDirectory().resolve("err.txt"))).isEqualTo("wrote " + (BIG_MIB << 20) + " bytes\n");
    }

    /**
     * The program writes straight into the caller's own stdout. The test JVM's stdout is surefire's
     * channel, so the caller here is a child JVM whose stdout is a file.
     */
    @Test
    void fiftyMegabytesToInheritedStdoutArriveComplete() throws Exception {
        Path dir = Files.createTempDirectory("mini-isolate-io");
        Path out = dir.resolve("stdout");
        Path err = dir.resolve("stderr");
        try {
            Process child = ChildJvm.builder(boxes, BOX, "big_output", Integer.toString(BIG_MIB))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try {
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
            } finally {
                child.destroyForcibly();
                child.waitFor();
            }
            String log = Files.readString(err);
            assertThat(child.exitValue()).as(log).isZero();
            assertThat(log).contains("wrote " + (BIG_MIB << 20) + " bytes").contains("verdict=OK");
            assertThat(Files.size(out)).isEqualTo(BIG_MIB << 20);
            assertThat(sha256(out)).isEqualTo(expectedSha256(BIG_MIB));
        } finally {
            org.miniisolate.fs.TreeWalker.deleteTree(dir);
        }
    }

    private static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** The stream big_output.c writes: xorshift32 words, little-endian. */
    private static String expectedSha256(int mib) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        int x = (int) 2463534242L;
        for (long chunk = 0; chunk < mib * 16L; chunk++) {
            buf.clear();
            while (buf.hasRemaining()) {
                x ^= x << 13;
                x ^= x >>> 17;
                x ^= x << 5;
                buf.putInt(x);
            }
            md.update(buf.array());
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
