package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.spec.DirRule;

class ToolchainTest {
    @TempDir
    Path tmp;

    private static LanguageProfile profile(List<String> homes, List<String> requires) {
        return new LanguageProfile("x", "X", List.of(), "main.x", homes, requires, List.of(), List.of("{home}/bin/x"),
                List.of(), 0, false, List.of(), Resources.NONE, Resources.NONE);
    }

    private Path toolchain(String name) throws IOException {
        Path bin = Files.createDirectories(tmp.resolve(name).resolve("bin"));
        Files.createFile(bin.resolve("x"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        return tmp.resolve(name);
    }

    @Test
    void aHomeOutsideTheBoxDirectoriesIsBoundAtOpt() throws IOException {
        Path home = toolchain("stable-1");
        Toolchain tc = Toolchain.resolve(profile(List.of("${user.home}/stable-*"), List.of("bin/x")),
                Map.of("user.home", tmp.toString()));
        assertThat(tc.available()).isTrue();
        assertThat(tc.home()).isEqualTo(home.toRealPath());
        assertThat(tc.insideHome()).isEqualTo("/opt/x");
        String real = home.toRealPath().toString();
        assertThat(tc.dirs()).singleElement().isInstanceOfSatisfying(DirRule.Bind.class, b -> {
            assertThat(b.inside()).isEqualTo("opt/x");
            assertThat(b.outside()).isEqualTo(real);
        });
    }

    @Test
    void theFirstCompleteCandidateWins() throws IOException {
        Files.createDirectories(tmp.resolve("empty"));
        Path good = toolchain("good");
        Toolchain tc = Toolchain.resolve(profile(List.of(tmp + "/missing", tmp + "/empty", good.toString()), List.of("bin/x")),
                Map.of());
        assertThat(tc.home()).isEqualTo(good.toRealPath());
    }

    @Test
    void nothingFoundSaysWhere() {
        Toolchain tc = Toolchain.resolve(profile(List.of(tmp + "/none"), List.of("bin/x")), Map.of());
        assertThat(tc.available()).isFalse();
        assertThat(tc.unavailable()).contains("bin/x");
    }

    @Test
    void absoluteRequirementsMustBeVisibleInTheBox() throws IOException {
        Path tool = toolchain("t").resolve("bin/x");
        Toolchain outside = Toolchain.resolve(profile(List.of(), List.of(tool.toString())), Map.of());
        assertThat(outside.available()).isFalse();
        assertThat(outside.unavailable()).contains("boxes do not see");
        assertThat(Toolchain.resolve(profile(List.of(), List.of("/bin/sh")), Map.of()).available()).isTrue();
        assertThat(Toolchain.resolve(profile(List.of(), List.of("/usr/bin/no-such-compiler")), Map.of()).unavailable())
                .contains("not installed");
    }

    @Test
    void aHomeUnderUsrIsSeenAsItself() {
        Toolchain tc = Toolchain.resolve(profile(List.of("/usr"), List.of("bin/sh")), Map.of());
        assertThat(tc.insideHome()).isEqualTo("/usr");
        assertThat(tc.dirs()).isEmpty();
    }
}
