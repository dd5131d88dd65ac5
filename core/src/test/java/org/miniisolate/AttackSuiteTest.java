package org.miniisolate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * Attacks on the supervisor's resources and bookkeeping that the other suites do not cover:
 * a fork bomb without cgroups, arguments and environments too large to exec, links planted
 * for the supervisor's own file walks. Box ids 947-948 are this class's alone (a fork bomb under
 * RLIMIT_NPROC counts every process of its uid on the machine).
 */
@EveryBoxKind
class AttackSuiteTest {
    private static final int BOMB_BOX = 947;
    private static final int BOX = 948;
    private final Boxes boxes;

    AttackSuiteTest(Boxes boxes) {
        this.boxes = boxes;
    }

    /** Without cgroups the box uid's RLIMIT_NPROC stops the bomb, and the box's PID namespace takes it down. */
    @Test
    void aForkBombStopsAtTheProcessLimitAndLeavesNothing() throws Exception {
        ProgramBox box = boxes.box(BOMB_BOX);
        TestPrograms.install("fork_bomb", box);

        Captured c = Captured.run(box, Limits.DEFAULTS.withProcesses(16).withWallTime(Duration.ofSeconds(20)), "./fork_bomb", "300");

        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.OK);
        String[] words = c.out().trim().split(" ");
        assertThat(c.out()).contains("error EAGAIN").endsWith("nproc 16\n");
        assertThat(Integer.parseInt(words[1])).as("forks").isBetween(1, 15);
        assertThat(HostProcesses.awaitNoneWithUid(box.identity().uid(), Duration.ofSeconds(5))).isEmpty();
    }

    /**
     * Arguments and environments beyond what execve takes (one string over 128 KiB, all of them
     * over a quarter of the stack limit) are the program's failure, as isolate reports them: exit
     * 127 with execve's reason on stderr. A spec beyond the launcher's 64 MiB is refused before
     * any box is built. The supervisor carries on either way.
     */
    @Test
    void hugeArgumentsAndEnvironmentsAreRefusedWithoutHarm() {
        ProgramBox box = boxes.box(BOX);
        String big = "x".repeat(200 * 1024);

        Captured oneHugeArgument = Captured.run(box, RunSpec.of("/bin/echo", big));
        assertE2big(oneHugeArgument);

        Map<String, String> env = new LinkedHashMap<>();
        for (int i = 0; i < 80; i++) {
            env.put("V" + i, "y".repeat(100 * 1024));
        }
        Captured hugeEnvironment = Captured.run(box, RunSpec.of("/bin/true").environment(env));
        assertE2big(hugeEnvironment);

        List<String> argv = new ArrayList<>(List.of("/bin/true"));
        for (int i = 0; i < 70; i++) {
            argv.add("z".repeat(1 << 20));
        }
        RunResult overSpec = box.run(RunSpec.of(argv).build());
        assertThat(overSpec.verdict()).as("%s", overSpec).isEqualTo(Verdict.INTERNAL_ERROR);
        assertThat(overSpec.started()).isFalse();
        assertThat(overSpec.message()).contains("File too large");

        Captured after = Captured.run(box, RunSpec.of("/bin/echo", "still here"));
        assertThat(after.result().verdict()).as("%s", after).isEqualTo(Verdict.OK);
        assertThat(after.out()).isEqualTo("still here\n");
    }

    private static void assertE2big(Captured c) {
        assertThat(c.result().verdict()).as("%s", c).isEqualTo(Verdict.RUNTIME_ERROR);
        assertThat(c.result().exitCode()).hasValue(127);
        assertThat(c.err()).contains("Argument list too long");
    }

    /**
     * A program plants links for the supervisor's walks over its box: a hard link to a host file
     * (refused across mounts), symbolic links to the host's files by their host paths (kept, on
     * request, through the hand-back). Removing the box follows none of them.
     */
    @Test
    void linksPlantedInTheBoxReachNothingOutside() throws Exception {
        ProgramBox box = boxes.box(BOX);
        Path canary = Files.createDirectories(boxes.root().resolve("canary"));
        Files.writeString(canary.resolve("precious"), "keep me");
        String script = String.join("; ",
                "ln /bin/sh hard 2>&1 | grep -q 'Invalid cross-device link' && echo hard EXDEV",
                "echo x > /tmp/x && ln /tmp/x hard2 2>&1 | grep -q 'Invalid cross-device link' && echo tmp EXDEV",
                "ln -s " + canary + " dir-link",
                "ln -s " + canary.resolve("precious") + " file-link",
                "mkdir -p a/b && ln -s ../../../../.. a/b/up",
                "true");

        Captured c = Captured.run(box, RunSpec.of("/bin/sh", "-c", script).keepSpecialFiles(true)
                .limits(Limits.DEFAULTS.withProcesses(0)));

        assertThat(c.outLines()).as("%s", c).containsExactly("hard EXDEV", "tmp EXDEV");
        assertThat(Files.isSymbolicLink(box.workDirectory().resolve("dir-link"))).isTrue();
        assertThat(Files.getAttribute(box.workDirectory().resolve("dir-link"), "unix:uid", LinkOption.NOFOLLOW_LINKS))
                .as("handed back to the owner").isEqualTo(0);
        boxes.discard(box);
        assertThat(Files.readString(canary.resolve("precious"))).isEqualTo("keep me");
    }
}
