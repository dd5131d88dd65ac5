package org.miniisolate.cli.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.config.ConfigException;

/** Which configuration file is read, how MINI_ISOLATE_BOX_ROOT combines with it, and what --check-config -vv prints. */
class InstallationTest {

    @TempDir
    Path temp;

    private static IsolateOptions parse(String... args) throws UsageException {
        return IsolateCommandLine.parse(args);
    }

    @Test
    void theOptionWinsOverTheEnvironment() throws Exception {
        Path a = Files.writeString(temp.resolve("a.conf"), "num_boxes = 7\n");
        Path b = Files.writeString(temp.resolve("b.conf"), "num_boxes = 9\n");
        Installation i = Installation.load(parse("--config=" + a, "--init"), Map.of("MINI_ISOLATE_CONFIG", b.toString()));
        assertThat(i.configFile()).isEqualTo(a);
        assertThat(i.config().numBoxes()).isEqualTo(7);
        Installation j = Installation.load(parse("--init"), Map.of("MINI_ISOLATE_CONFIG", b.toString()));
        assertThat(j.configFile()).isEqualTo(b);
        assertThat(j.config().numBoxes()).isEqualTo(9);
    }

    @Test
    void boxRootFromTheFileWinsOverTheVariableWhichWinsOverTheDefault() throws Exception {
        Path withRoot = Files.writeString(temp.resolve("r.conf"), "box_root = /srv/boxes\n");
        Path without = Files.writeString(temp.resolve("n.conf"), "first_uid = 70000\nfirst_gid = 70000\n");
        Map<String, String> env = Map.of("MINI_ISOLATE_BOX_ROOT", "/tmp/other");
        assertThat(Installation.load(parse("--config=" + withRoot, "--init"), env).config().boxRoot())
                .isEqualTo(Path.of("/srv/boxes"));
        Installation i = Installation.load(parse("--config=" + without, "--init"), env);
        assertThat(i.config().boxRoot()).isEqualTo(Path.of("/tmp/other"));
        assertThat(i.config().lockRoot()).isEqualTo(Path.of("/tmp/other/.locks"));
        assertThat(i.config().firstUid()).isEqualTo(70000);
    }

    @Test
    void aNamedFileMustExistAndErrorsNameTheLine() throws Exception {
        assertThatThrownBy(() -> Installation.load(parse("--config=" + temp.resolve("none"), "--init"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
        Path bad = Files.writeString(temp.resolve("bad.conf"), "# ok\nnum_boxes = 10\nbox_rot = /x\n");
        assertThatThrownBy(() -> Installation.load(parse("--config=" + bad, "--init"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("line 3").hasMessageContaining("box_rot");
    }

    @Test
    void valuesTheCoreRefusesTogetherAreBlamedOnTheFile() throws Exception {
        Path bad = Files.writeString(temp.resolve("cg.conf"), "cg_root = /sys/fs/cgroup/x\n");
        assertThatThrownBy(() -> Installation.load(parse("--config=" + bad, "--init"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("Error in config file " + bad + ": cg_root");
    }

    @Test
    void aRelativeBoxRootVariableIsStillItsOwnError() throws Exception {
        Path ok = Files.writeString(temp.resolve("ok.conf"), "");
        assertThatThrownBy(() -> Installation.load(parse("--config=" + ok, "--init"),
                Map.of("MINI_ISOLATE_BOX_ROOT", "rel"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("MINI_ISOLATE_BOX_ROOT must be an absolute path, not 'rel'");
    }

    @Test
    void actingForAUserMakesThemTheOwner() throws Exception {
        Path ok = Files.writeString(temp.resolve("ok.conf"), "");
        Installation i = Installation.load(parse("--config=" + ok, "--init"), Map.of())
                .ownedBy(new ActingUser.Owner(1000, 1001));
        assertThat(i.config().ownerUid()).isEqualTo(1000);
        assertThat(i.config().ownerGid()).isEqualTo(1001);
    }

    @Test
    void checkConfigDumpIsACompleteConfigFile() throws Exception {
        Path f = Files.writeString(temp.resolve("d.conf"),
                "box_root = /srv/b\nnum_boxes = 20\nbox12.mems = 0\nbox3.cpus = 1\nbox12.cpus = 0-1\nsyscall_flags = 15\n");
        Installation i = Installation.load(parse("--config=" + f, "--check-config"), Map.of());
        String dump = CheckConfigCommand.dump(i);
        assertThat(dump).isEqualTo("# " + f + "; keys it does not set have their defaults\n"
                + "box_root = /srv/b\nlock_root = /srv/b/.locks\ncg_root = mini-isolate\nfirst_uid = 60000\n"
                + "first_gid = 60000\nnum_boxes = 20\nrestricted_init = 0\nsyscall_flags = 15\n"
                + "box3.cpus = 1\nbox12.cpus = 0-1\nbox12.mems = 0\n");
        // Read back, it means the same.
        Path again = Files.writeString(temp.resolve("again.conf"), dump);
        Installation j = Installation.load(parse("--config=" + again, "--check-config"), Map.of());
        assertThat(j.config()).isEqualTo(i.config());
        assertThat(j.values().boxCpus()).isEqualTo(i.values().boxCpus());
    }
}
