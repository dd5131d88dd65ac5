package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The configuration file: where it is looked for, what its keys change, and how its errors are reported. */
class ConfigIT {
    /** Box uids of this class start here: away from every other suite's 60000 + N. */
    private static final int FIRST_UID = 64100;
    private static final int FIRST_GID = 64200;

    private static Cli cli;
    private static Path config;

    @BeforeAll
    static void open() {
        cli = Cli.open();
        config = cli.configure("first_uid = " + FIRST_UID, "first_gid = " + FIRST_GID, "num_boxes = 5");
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    @Test
    void theFilesKeysDecideWhereBoxesLiveWhoRunsInThemAndHowManyThereAre() {
        Cli.Result init = cli.run("-b", "4", "--init");
        assertThat(init.exitCode()).isZero();
        assertThat(init.stdout()).isEqualTo(cli.boxDir(4) + "\n");
        assertThat(cli.scratch().resolve("locks")).isDirectory();

        Cli.Result ids = cli.run("-b", "4", "-p", "--run", "--", "/bin/sh", "-c", "echo $(/usr/bin/id -u) $(/usr/bin/id -g)");
        assertThat(ids.stdout()).isEqualTo((FIRST_UID + 4) + " " + (FIRST_GID + 4) + "\n");
        assertThat(cli.run("-b", "4", "--cleanup").exitCode()).isZero();

        Cli.Result outOfRange = cli.run("-b", "5", "--init");
        assertThat(outOfRange.exitCode()).isEqualTo(2);
        assertThat(outOfRange.stderr()).isEqualTo("Sandbox ID out of range (allowed: 0-4)\n");
        assertThat(cli.boxDir(5)).doesNotExist();
    }

    @Test
    void boxRootOfTheFileWinsOverTheEnvironmentVariable() {
        Path elsewhere = cli.scratch().resolve("elsewhere");
        Cli.Result r = cli.runWithEnv(Map.of("MINI_ISOLATE_BOX_ROOT", elsewhere.toString()), "-b", "3", "--init");
        assertThat(r.stdout()).isEqualTo(cli.boxDir(3) + "\n");
        assertThat(elsewhere).doesNotExist();
        cli.run("-b", "3", "--cleanup");
    }

    @Test
    void theConfigOptionWinsOverTheEnvironmentAndAMissingNamedFileIsAnError() throws Exception {
        Path other = Files.writeString(cli.scratch().resolve("other.conf"),
                "box_root = " + cli.scratch().resolve("other-boxes") + "\nnum_boxes = 2\n");
        Cli.Result r = cli.run("--config=" + other, "-b", "1", "--init");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo(cli.scratch().resolve("other-boxes/1") + "\n");
        assertThat(cli.run("--config=" + other, "-b", "1", "--cleanup").exitCode()).isZero();

        Path missing = cli.scratch().resolve("missing.conf");
        Cli.Result m = cli.run("--config=" + missing, "--init");
        assertThat(m.exitCode()).isEqualTo(2);
        assertThat(m.stderr()).isEqualTo("Cannot read config file " + missing + ": it does not exist\n");
    }

    @Test
    void aMalformedFileNamesItsLineForEveryCommandAndWritesTheMetaFile() throws Exception {
        Path bad = Files.writeString(cli.scratch().resolve("bad.conf"),
                "# comment\n\nbox_root = /var/lib/x\nnum_boxes = many\n");
        Path meta = cli.scratch().resolve("bad.meta");
        for (String command : new String[] {"--init", "--check-config", "--cleanup", "--print-cg-root"}) {
            Cli.Result r = cli.runWithEnv(Map.of("MINI_ISOLATE_CONFIG", bad.toString()), "-M", meta.toString(), command);
            assertThat(r.exitCode()).as(command).isEqualTo(2);
            assertThat(r.stderr()).as(command).isEqualTo("Error in config file " + bad
                    + ", line 4: num_boxes must be a whole number, not 'many'\n");
            assertThat(meta).hasContent("status:XX\nmessage:Error in config file " + bad
                    + ", line 4: num_boxes must be a whole number, not 'many'");
        }
        Path unknown = Files.writeString(cli.scratch().resolve("unknown.conf"), "box_rot = /x\n");
        Cli.Result r = cli.run("--config=" + unknown, "--check-config");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("line 1").contains("unknown key 'box_rot'");
        Files.delete(meta);
    }

    @Test
    void checkConfigSaysNothingWhenAllIsWellAndPrintsTheSettingsWithVV() {
        Cli.Result quiet = cli.run("--check-config");
        assertThat(quiet.exitCode()).isZero();
        assertThat(quiet.stdout()).isEmpty();
        assertThat(quiet.stderr()).isEmpty();

        Cli.Result dump = cli.run("-vv", "--check-config");
        assertThat(dump.exitCode()).isZero();
        assertThat(dump.stdout()).isEqualTo("# " + config + "; keys it does not set have their defaults\n"
                + "box_root = " + cli.boxRoot() + "\n"
                + "lock_root = " + cli.scratch().resolve("locks") + "\n"
                + "cg_root = mini-isolate\n"
                + "first_uid = " + FIRST_UID + "\n"
                + "first_gid = " + FIRST_GID + "\n"
                + "num_boxes = 5\n"
                + "restricted_init = 0\n"
                + "syscall_flags = 65535\n");
    }

    @Test
    void withoutAnyFileTheDefaultsApply() {
        // MINI_ISOLATE_CONFIG empty means "not set": /etc/mini-isolate.conf, absent on a build machine.
        Cli.Result r = cli.runWithEnv(Map.of("MINI_ISOLATE_CONFIG", ""), "-vv", "--check-config");
        if (Files.exists(Path.of("/etc/mini-isolate.conf"))) {
            return;
        }
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).startsWith("# /etc/mini-isolate.conf does not exist;")
                .contains("first_uid = 60000\n", "num_boxes = 1000\n", "syscall_flags = 65535\n");
    }
}
