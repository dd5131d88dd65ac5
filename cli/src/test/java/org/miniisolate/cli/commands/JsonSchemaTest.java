package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;
import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;
import org.miniisolate.seccomp.SyscallPolicy;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.Io;

/**
 * Golden files for the JSON of run and execute: field names, order and types are an interface scripts depend on.
 * A deliberate change of the schema updates the golden files (and docs/cli.md) in the same commit.
 */
class JsonSchemaTest {
    private static final RunPlan.Machine CGROUP = new RunPlan.Machine(true, true, null, null, null, SyscallPolicy.DEFAULT);

    /**
     * Compares {@code actual} with the golden file {@code name}. Run with {@code -Dgolden.update=true} to rewrite
     * the golden files from the current output (then review the diff).
     */
    static void assertGolden(String name, String actual) throws IOException {
        if (Boolean.getBoolean("golden.update")) {
            Path file = Path.of("src/test/resources/org/miniisolate/cli/commands", name);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        try (InputStream in = JsonSchemaTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            assertThat(actual).as(name).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    static RunJson sampleRun() {
        RunResult r = new RunResult(Verdict.MEMORY_LIMIT, true, OptionalInt.empty(), OptionalInt.of(9), Duration.ofMillis(12),
                Duration.ofMillis(34), 5000, 3, 4, false, "Caught fatal signal 9", OptionalLong.of(5120), true);
        Resources limits = new Resources(Duration.ofSeconds(1), Duration.ofSeconds(2), 5120L, 64, 1024L, 0L, false);
        RunPlan plan = RunPlan.of(List.of("./hog", "1"), limits, true, CGROUP, Io.INHERIT, Map.of(), DirRules.defaults());
        return RunJson.of(0, List.of("./hog", "1"), r, limits, plan, new Capture.Output("hi\n", 3, false),
                new Capture.Output("", 0, false));
    }

    @Test
    void runResult() throws IOException {
        assertGolden("run-result.golden.json", Json.write(sampleRun()) + "\n");
    }

    @Test
    void runResultWithoutCaptureOrCgroup() throws IOException {
        RunResult r = new RunResult(Verdict.OK, true, OptionalInt.of(0), OptionalInt.empty(), Duration.ofMillis(1),
                Duration.ofMillis(2), 1100, 1, 0, false, "");
        Resources limits = Resources.NONE.effective();
        RunPlan plan = RunPlan.of(List.of("/bin/true"), limits, false, CGROUP, Io.INHERIT, Map.of(), DirRules.defaults());
        assertGolden("run-result-plain.golden.json", Json.write(RunJson.of(3, List.of("/bin/true"), r, limits, plan, null, null)) + "\n");
    }

    @Test
    void executeResult() throws IOException {
        RunResult compiled = new RunResult(Verdict.RUNTIME_ERROR, true, OptionalInt.of(1), OptionalInt.empty(),
                Duration.ofMillis(40), Duration.ofMillis(50), 20000, 5, 6, false, "Exited with error status 1",
                OptionalLong.of(30000), false);
        Resources limits = new Resources(Duration.ofSeconds(10), Duration.ofSeconds(20), 1048576L, 64, 64L, 262144L, false);
        RunPlan plan = RunPlan.of(List.of("/usr/bin/gcc", "main.c"), limits, false, CGROUP, Io.INHERIT, Map.of(),
                DirRules.defaults());
        RunJson compile = RunJson.of(1, List.of("/usr/bin/gcc", "main.c"), compiled, limits, plan,
                new Capture.Output("main.c:1: error\n", 16, false), null);
        ExecuteJson e = new ExecuteJson("c", 1, ExecuteJson.COMPILATION_ERROR, compile, null);
        assertGolden("execute-result.golden.json", Json.write(e) + "\n");
    }
}
