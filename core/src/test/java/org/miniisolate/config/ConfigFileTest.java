package org.miniisolate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path temp;

    @Test
    void readsEveryKey() {
        ConfigValues v = ConfigFile.parse("t", List.of(
                "# isolate-style configuration",
                "",
                "box_root = /srv/boxes",
                "lock_root=/run/locks",
                "\tcg_root = auto:/run/isolate/cgroup",
                "first_uid = 70000",
                "first_gid = 70000",
                "num_boxes = 100",
                "restricted_init = 1",
                "syscall_flags = 15",
                "box3.cpus = 0-1,3",
                "box3.mems = 0"));
        assertThat(v.boxRoot()).contains(Path.of("/srv/boxes"));
        assertThat(v.lockRoot()).contains(Path.of("/run/locks"));
        assertThat(v.cgRoot()).contains("auto:/run/isolate/cgroup");
        assertThat(v.firstUid()).hasValue(70000);
        assertThat(v.firstGid()).hasValue(70000);
        assertThat(v.numBoxes()).hasValue(100);
        assertThat(v.restrictedInit()).isTrue();
        assertThat(v.syscallFlags()).hasValue(15);
        assertThat(v.boxCpus()).containsEntry(3, "0-1,3");
        assertThat(v.boxMems()).containsEntry(3, "0");
    }

    @Test
    void malformedLinesNameTheLine() {
        assertError(List.of("box_root = /x", "garbage"), "line 2: expected 'key = value'");
        assertError(List.of("", "", "colour = blue"), "line 3: unknown key 'colour'");
        assertError(List.of("first_uid = abc"), "line 1: first_uid must be a whole number");
        assertError(List.of("first_uid = -5"), "line 1: first_uid must be a whole number");
        assertError(List.of("num_boxes = 0"), "line 1: num_boxes must be above 0");
        assertError(List.of("box_root = relative/path"), "line 1: box_root must be an absolute path");
        assertError(List.of("restricted_init = yes"), "line 1: restricted_init must be 0 or 1");
        assertError(List.of("box1.cpus = 0-"), "line 1: box1.cpus must be a list");
        assertError(List.of("box1.gpus = 0"), "line 1: unknown key 'box1.gpus'");
        assertError(List.of("num_boxes = 5", "num_boxes = 6"), "line 2: 'num_boxes' is set twice");
        assertError(List.of("box_root ="), "line 1: expected 'key = value'");
        assertError(List.of("x".repeat(1100)), "line 1: line longer than 1023");
    }

    @Test
    void perBoxSettingsBeyondNumBoxesAreRefused() {
        assertThatThrownBy(() -> ConfigFile.parse("t", List.of("num_boxes = 2", "box5.cpus = 0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("box5 is beyond num_boxes = 2");
    }

    @Test
    void aMissingDefaultFileMeansDefaultsButAMissingNamedFileIsAnError() {
        assertThat(ConfigFile.read(temp.resolve("absent"), false)).isEqualTo(ConfigValues.EMPTY);
        assertThatThrownBy(() -> ConfigFile.load(temp.resolve("absent"), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("does not exist");
    }

    @Test
    void theEnvironmentNamesTheFileWhenTheCommandLineDoesNot() throws Exception {
        Path f = Files.writeString(temp.resolve("c.conf"), "num_boxes = 7\n");
        assertThat(ConfigFile.load(null, Map.of(ConfigFile.ENVIRONMENT_VARIABLE, f.toString())).numBoxes()).hasValue(7);
        Path g = Files.writeString(temp.resolve("d.conf"), "num_boxes = 9\n");
        assertThat(ConfigFile.load(g, Map.of(ConfigFile.ENVIRONMENT_VARIABLE, f.toString())).numBoxes()).hasValue(9);
    }

    private static void assertError(List<String> lines, String expected) {
        assertThatThrownBy(() -> ConfigFile.parse("/etc/mini-isolate.conf", lines))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("Error in config file /etc/mini-isolate.conf")
                .hasMessageContaining(expected);
    }
}
