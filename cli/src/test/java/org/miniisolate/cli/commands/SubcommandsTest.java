package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import org.junit.jupiter.api.Test;

import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/** The command tree: words, parsing of run's program and arguments, help, usage errors. No sandbox needed. */
class SubcommandsTest {

    private static RunProgramCommand parseRun(String... args) {
        CommandLine cl = Subcommands.commandLine();
        ParseResult pr = cl.parseArgs(args);
        return (RunProgramCommand) pr.subcommand().commandSpec().userObject();
    }

    @Test
    void theWordsAreExactlyTheSubcommands() {
        assertThat(Subcommands.commandLine().getSubcommands().keySet()).containsExactlyInAnyOrderElementsOf(Subcommands.WORDS);
        for (String w : Subcommands.WORDS) {
            assertThat(MainWords.isSubcommand(w)).as(w).isTrue();
        }
        assertThat(MainWords.isSubcommand("--help")).isFalse();
        assertThat(MainWords.isSubcommand("--run")).isFalse();
        assertThat(MainWords.isSubcommand("version")).isFalse();
    }

    @Test
    void runTakesTheSeedsShape() {
        RunProgramCommand r = parseRun("run", "--box-id", "0", "--max-time", "1", "/bin/sleep", "--", "3");
        assertThat(r.box.boxId).isZero();
        assertThat(r.limits.wall).hasMillis(1000);
        assertThat(r.program).isEqualTo("/bin/sleep");
        assertThat(RunProgramCommand.programArgs(r.args)).containsExactly("3");
    }

    @Test
    void everythingAfterTheProgramIsTheProgramsOptionsIncluded() {
        RunProgramCommand r = parseRun("run", "-b", "2", "/bin/ls", "-l", "--max-cpu", "1");
        assertThat(r.box.boxId).isEqualTo(2);
        assertThat(r.limits.cpu).isNull();
        assertThat(RunProgramCommand.programArgs(r.args)).containsExactly("-l", "--max-cpu", "1");
    }

    @Test
    void aSecondDoubleDashIsAnArgument() {
        RunProgramCommand r = parseRun("run", "/bin/echo", "--", "--", "x");
        assertThat(RunProgramCommand.programArgs(r.args)).containsExactly("--", "x");
        RunProgramCommand leading = parseRun("run", "--max-cpu", "0.5", "--", "/bin/echo", "-n", "hi");
        assertThat(leading.program).isEqualTo("/bin/echo");
        assertThat(leading.limits.cpu).hasMillis(500);
        assertThat(RunProgramCommand.programArgs(leading.args)).containsExactly("-n", "hi");
    }

    @Test
    void limitFlagsParseWithUnits() {
        RunProgramCommand r = parseRun("run", "--max-memory", "256", "--max-output", "64K", "--max-file-size", "1G",
                "--max-processes", "5", "--network", "/bin/true");
        Resources g = r.limits.given();
        assertThat(g.memoryKib()).isEqualTo(256 * 1024);
        assertThat(g.outputKib()).isEqualTo(64);
        assertThat(g.fileSizeKib()).isEqualTo(1024 * 1024);
        assertThat(g.processes()).isEqualTo(5);
        assertThat(g.network()).isTrue();
        assertThat(g.cpu()).isNull();
    }

    @Test
    void executeTakesOptionsAfterTheSource() {
        CommandLine cl = Subcommands.commandLine();
        ParseResult pr = cl.parseArgs("execute", "--box-id", "4", "--language", "c", "sol.c", "--stdin", "in.txt",
                "--max-cpu", "1", "--json");
        ExecuteCommand e = (ExecuteCommand) pr.subcommand().commandSpec().userObject();
        assertThat(e.language).isEqualTo("c");
        assertThat(e.source).hasToString("sol.c");
        assertThat(e.stdin).hasToString("in.txt");
        assertThat(e.limits.cpu).hasMillis(1000);
        assertThat(e.result.json).isTrue();
    }

    @Test
    void everySubcommandHasHelp() {
        for (String w : Subcommands.WORDS) {
            if (w.equals("help")) {
                continue;
            }
            Outcome o = invoke(w, "--help");
            assertThat(o.status).as(w).isZero();
            assertThat(o.out).as(w).contains("Usage: mini-isolate " + w);
        }
        Outcome top = invoke("help");
        assertThat(top.status).isZero();
        assertThat(top.out).contains("execute").contains("isolate");
    }

    @Test
    void usageErrorsExitWith3AndAHint() {
        Outcome bad = invoke("run", "--max-cpu", "1s", "/bin/true");
        assertThat(bad.status).isEqualTo(ExitCodes.ERROR);
        assertThat(bad.err).contains("--max-cpu").contains("Try 'mini-isolate run --help'");
        Outcome missing = invoke("execute", "sol.c");
        assertThat(missing.status).isEqualTo(ExitCodes.ERROR);
        assertThat(missing.err).contains("--language");
        Outcome noProgram = invoke("run", "--box-id", "1");
        assertThat(noProgram.status).isEqualTo(ExitCodes.ERROR);
    }

    @Test
    void completionPrintsABashScript() {
        Outcome o = invoke("completion");
        assertThat(o.status).isZero();
        assertThat(o.out).contains("complete -F").contains("execute").contains("--max-memory");
    }

    @Test
    void helpDescribesExitCodes() {
        Outcome o = invoke("run", "--help");
        assertThat(o.out).contains("2 time limit").contains("--max-cpu").contains("--max-memory").contains("--max-time")
                .contains("--max-processes").contains("--max-output").contains("--max-file-size").contains("--network");
    }

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome invoke(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Subcommands.run(args, Map.of(), new PrintWriter(out), new PrintWriter(err));
        return new Outcome(status, out.toString(), err.toString());
    }

    /** Main's word check, reached from this package. */
    static final class MainWords {
        static boolean isSubcommand(String w) {
            try {
                var m = Class.forName("org.miniisolate.cli.Main").getDeclaredMethod("isSubcommand", String.class);
                m.setAccessible(true);
                return (boolean) m.invoke(null, w);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }
}
