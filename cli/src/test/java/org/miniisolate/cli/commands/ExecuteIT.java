package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;

/**
 * execute for every language installed here: a correct program (3 + 4 from --stdin), a compilation error, a time
 * limit and a memory limit, each with 1 s of CPU. A language whose toolchain is missing is skipped, not failed.
 */
class ExecuteIT {
    /** The file extension of each language's test programs. */
    private static final Map<String, String> EXTENSIONS = Map.of("c", "c", "cpp", "cpp", "java", "java", "python3", "py",
            "javascript", "js", "go", "go", "rust", "rs");
    /** Memory limit of the MLE case: enough for the runtime itself to start. */
    private static final Map<String, String> MLE_LIMIT = Map.of("java", "96", "javascript", "96", "go", "64");

    private static Jar jar;
    private static Path input;

    @BeforeAll
    static void open() {
        jar = Jar.open(65200);
        input = jar.file("in.txt", "3 4\n");
    }

    @AfterAll
    static void close() {
        if (jar != null) {
            jar.close();
        }
    }

    static Stream<Arguments> languages() {
        return LanguageProfiles.shipped().stream().map(p -> Arguments.of(p.id()));
    }

    private static int box(String language) {
        return 10 + List.copyOf(EXTENSIONS.keySet()).stream().sorted().toList().indexOf(language);
    }

    private static void assumeInstalled(String language) {
        LanguageProfile p = LanguageProfiles.find(LanguageProfiles.shipped(), language).orElseThrow();
        Toolchain tc = Toolchain.resolve(p, ExecuteCommand.hostProperties());
        assumeTrue(tc.available(), language + " is not installed here: " + tc.unavailable());
    }

    private static Jar.Result execute(String language, String kind, String... extra) {
        List<String> args = new ArrayList<>(List.of("execute", "--box-id", Integer.toString(box(language)), "--language",
                language, jar.program(kind + "." + EXTENSIONS.get(language)).toString(), "--json", "--capture",
                "--max-cpu", "1", "--max-time", "3"));
        args.addAll(List.of(extra));
        return jar.run(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void correctProgram(String language) {
        assumeInstalled(language);
        Jar.Result r = execute(language, "ok", "--stdin", input.toString(), "--max-memory", "256");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("language").asString()).isEqualTo(language);
        assertThat(j.get("verdict").asString()).isEqualTo("OK");
        assertThat(j.get("run").get("stdout").get("text").asString()).isEqualTo("7\n");
        assertThat(j.get("compile").get("verdict").asString()).isEqualTo("OK");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void compilationError(String language) {
        assumeInstalled(language);
        Jar.Result r = execute(language, "ce");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        JsonNode j = r.json();
        assertThat(j.get("verdict").asString()).isEqualTo("COMPILATION_ERROR");
        assertThat(j.get("run").isNull()).isTrue();
        assertThat(j.get("compile").get("stdout").get("text").asString()).isNotBlank();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void timeLimit(String language) {
        assumeInstalled(language);
        Jar.Result r = execute(language, "tle");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.json().get("verdict").asString()).isEqualTo("TIME_LIMIT");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("languages")
    void memoryLimit(String language) {
        assumeInstalled(language);
        Jar.Result r = execute(language, "mle", "--max-memory", MLE_LIMIT.getOrDefault(language, "32"));
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        // Java reports an exhausted heap itself (OutOfMemoryError: a runtime error) before the box runs out.
        assertThat(r.json().get("verdict").asString()).isIn("MEMORY_LIMIT", language.equals("java") ? "RUNTIME_ERROR" : "MEMORY_LIMIT");
    }

    @Test
    void humanOutputOfACompilationErrorShowsTheCompilersMessage() {
        assumeInstalled("c");
        Jar.Result r = jar.run("execute", "--box-id", "30", "-l", "gcc", jar.program("ce.c").toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("undeclared_variable").contains("compilation failed");
    }

    @Test
    void anUnknownLanguageIsAUsageError() {
        Jar.Result r = jar.run("execute", "--box-id", "30", "-l", "cobol", jar.program("ok.c").toString());
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("unknown language 'cobol'").contains("python3");
    }
}
