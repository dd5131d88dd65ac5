package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every kind of bad input ends with one clear message and exit status 2, and no stack trace. */
class BadInputIT {
    private static final String HINT = "Try 'mini-isolate --help' for more information.\n";

    private static Cli cli;

    @BeforeAll
    static void open() {
        cli = Cli.open();
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    private static void assertUsageError(Cli.Result r, String message) {
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo(message + "\n" + HINT);
        assertThat(r.stdout()).isEmpty();
    }

    @Test
    void unknownOptionPrintsTheUsageOnStdout() {
        Cli.Result r = cli.run("--frob", "--init");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("mini-isolate: unrecognized option '--frob'\n");
        assertThat(r.stdout()).startsWith("Usage: mini-isolate [OPTIONS] COMMAND\n");
    }

    @Test
    void noCommand() {
        assertUsageError(cli.run(), "Please specify an isolate command (e.g. --init, --run).");
    }

    @Test
    void twoCommands() {
        assertUsageError(cli.run("--init", "--cleanup"), "Only one command is allowed.");
    }

    @Test
    void runWithoutAProgram() {
        Cli.Result r = cli.run("--run");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).endsWith(HINT);
    }

    @Test
    void timeThatIsNotANumberIsRefusedRatherThanReadAsNoLimit() {
        Cli.Result r = cli.run("-t", "abc", "--run", "--", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("'abc'").endsWith(HINT);
    }

    @Test
    void negativeTimeIsRefused() {
        Cli.Result r = cli.run("-t", "-1", "--run", "--", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("'-1'").endsWith(HINT);
    }

    @Test
    void withoutDoubleDashTheProgramsOptionsAreReadAsOurs() {
        // As in isolate: "-n hi" becomes --open-files=hi.
        assertUsageError(cli.run("--run", "/bin/echo", "-n", "hi"), "Invalid numeric parameter: hi");
    }

    @Test
    void badDirectoryRule() {
        assertUsageError(cli.run("-d", "/foo:bogus", "--init"), "Unknown option 'bogus' in directory rule /foo:bogus");
    }

    @Test
    void boxIdOutOfRangeIsAnInternalErrorInTheMetaFile() throws Exception {
        Path meta = cli.scratch().resolve("range.meta");
        Cli.Result r = cli.run("-b", "5000", "-M", meta.toString(), "--run", "--", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("Sandbox ID out of range (allowed: 0-999)\n");
        assertThat(meta).hasContent("status:XX\nmessage:Sandbox ID out of range (allowed: 0-999)");
        Files.delete(meta);
    }

    @Test
    void runOnABoxNeverInitializedNamesInit() throws Exception {
        Path meta = cli.scratch().resolve("noinit.meta");
        Cli.Result r = cli.run("-b", "41", "-M", meta.toString(), "--run", "--", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("Box not found, did you run `mini-isolate --init'?\n");
        assertThat(Meta.parse(Files.readString(meta)).keys()).containsExactly("status", "message");
        Files.delete(meta);
    }

    @Test
    void unwritableMetaFileStopsBeforeAnythingIsDone() {
        Path meta = cli.scratch().resolve("no-such-dir/meta");
        Cli.Result r = cli.run("-b", "42", "-M", meta.toString(), "--init");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("Failed to open metafile '" + meta + "'\n");
        assertThat(cli.boxDir(42)).doesNotExist();
    }

    @Test
    void relativeBoxRootIsRefused() {
        Cli.Result r = cli.runWithEnv(Map.of("MINI_ISOLATE_BOX_ROOT", "relative/boxes"), "--init");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo("MINI_ISOLATE_BOX_ROOT must be an absolute path, not 'relative/boxes'\n");
    }

    @Test
    void ttyHackIsRefusedAndTouchesNothing() {
        Path root = cli.scratch().resolve("untouched");
        Path meta = cli.scratch().resolve("untouched.meta");
        Cli.Result r = cli.runWithEnv(Map.of("MINI_ISOLATE_BOX_ROOT", root.toString()), "-M", meta.toString(),
                "--tty-hack", "--init");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("Option --tty-hack is not supported by mini-isolate: ")
                .endsWith("; nothing was done\n");
        assertThat(root).doesNotExist();
        assertThat(meta).doesNotExist();
    }

    @Test
    void cgTimingOptionsOfIsolate1AreAcceptedAndIgnored() {
        cli.init(43);
        assertThat(cli.run("-b", "43", "--cg-timing", "--run", "--", "/bin/true").exitCode()).isZero();
        assertThat(cli.run("-b", "43", "--no-cg-timing", "--run", "--", "/bin/true").exitCode()).isZero();
    }

    @Test
    void noStackTraceForAnyOfThese() {
        for (String[] args : List.of(new String[] {"-b", "5000", "--init"}, new String[] {"-b", "44", "--run", "--", "/x"},
                new String[] {"-o", "", "--run", "--", "/bin/true"})) {
            Cli.Result r = cli.run(args);
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.stderr()).doesNotContain("Exception", "\tat ");
        }
    }
}
