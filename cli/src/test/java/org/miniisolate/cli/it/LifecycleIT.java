package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** --version, --init, --run and --cleanup as a judge strings them together. */
class LifecycleIT {
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

    @Test
    void versionPrintsTheVersionAndTouchesNoBoxRoot() {
        Path unused = cli.scratch().resolve("unused-root");
        Cli.Result r = cli.runWithEnv(Map.of("MINI_ISOLATE_BOX_ROOT", unused.toString()), "--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("mini-isolate 0.").contains("isolate");
        assertThat(r.stderr()).isEmpty();
        assertThat(unused).doesNotExist();
    }

    @Test
    void initRunCleanup() {
        Cli.Result init = cli.run("-b", "11", "--init");
        assertThat(init.exitCode()).isZero();
        assertThat(init.stdout()).isEqualTo(cli.boxDir(11) + "\n");
        assertThat(cli.workDir(11)).isDirectory();

        Cli.Result run = cli.run("-b", "11", "--run", "--", "/bin/echo", "hi");
        assertThat(run.exitCode()).isZero();
        assertThat(run.stdout()).isEqualTo("hi\n");
        assertThat(run.stderr()).matches("OK \\(\\d+\\.\\d{3} sec real, \\d+\\.\\d{3} sec wall\\)\n");

        Cli.Result cleanup = cli.run("-b", "11", "--cleanup");
        assertThat(cleanup.exitCode()).isZero();
        assertThat(cleanup.stdout()).isEmpty();
        assertThat(cli.boxDir(11)).doesNotExist();
    }

    @Test
    void initTwiceResetsTheBox() throws Exception {
        cli.init(12);
        Files.writeString(cli.workDir(12).resolve("old.txt"), "x");
        cli.init(12);
        assertThat(cli.workDir(12)).isEmptyDirectory();
        cli.run("-b", "12", "--cleanup");
    }

    @Test
    void cleanupOfABoxThatNeverExistedSucceeds() {
        Cli.Result quiet = cli.run("-b", "13", "--cleanup");
        assertThat(quiet.exitCode()).isZero();
        assertThat(quiet.stderr()).isEmpty();

        Cli.Result verbose = cli.run("-b", "13", "-v", "--cleanup");
        assertThat(verbose.exitCode()).isZero();
        assertThat(verbose.stderr()).contains("nothing to clean up");
    }

    @Test
    void filesPutIntoTheBoxAreSeenAndOutputsHandedBack() throws Exception {
        cli.init(14);
        Files.writeString(cli.workDir(14).resolve("in.txt"), "data\n");
        Cli.Result r = cli.run("-b", "14", "--run", "--", "/bin/sh", "-c", "exec cat in.txt > copy.txt");
        assertThat(r.exitCode()).isZero();
        assertThat(cli.workDir(14).resolve("copy.txt")).hasContent("data");
        assertThat(Files.getAttribute(cli.workDir(14).resolve("copy.txt"), "unix:uid")).isEqualTo(0);
        cli.run("-b", "14", "--cleanup");
    }

    @Test
    void aLeadingSubcommandWordGoesToTheSubcommandFace() {
        // Not an isolate program name: the subcommand face answers (exit 3: box 0 was never initialized).
        Cli.Result r = cli.run("run", "--", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("box 0 is not initialized");
    }
}
