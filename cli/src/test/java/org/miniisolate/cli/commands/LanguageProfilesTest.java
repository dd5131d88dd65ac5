package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class LanguageProfilesTest {
    @Test
    void theShippedProfilesKeepTheirIds() {
        List<LanguageProfile> all = LanguageProfiles.shipped();
        assertThat(all).extracting(LanguageProfile::id).containsExactly("c", "cpp", "java", "python3", "javascript", "go", "rust");
        assertThat(LanguageProfiles.find(all, "c++")).get().extracting(LanguageProfile::id).isEqualTo("cpp");
        assertThat(LanguageProfiles.find(all, "node")).get().extracting(LanguageProfile::id).isEqualTo("javascript");
        assertThat(LanguageProfiles.find(all, "py")).get().extracting(LanguageProfile::id).isEqualTo("python3");
        assertThat(LanguageProfiles.find(all, "cobol")).isEmpty();
    }

    @Test
    void defaultsAndOverridesOfTheSteps() {
        LanguageProfile java = LanguageProfiles.find(LanguageProfiles.shipped(), "java").orElseThrow();
        assertThat(java.compileLimits().cpu()).isEqualTo(Duration.ofSeconds(20));
        assertThat(java.compileLimits().memoryKib()).isEqualTo(1024 * 1024);
        assertThat(java.runLimits().processes()).isEqualTo(64);
        assertThat(java.cgroupMemory()).isTrue();
        assertThat(java.env()).contains("PATH=/usr/local/bin:/usr/bin:/bin");
        LanguageProfile c = LanguageProfiles.find(LanguageProfiles.shipped(), "c").orElseThrow();
        assertThat(c.runLimits().processes()).isEqualTo(1);
        assertThat(c.compileLimits().cpu()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.compileLimits().outputKib()).isEqualTo(64);
    }

    @Test
    void theJavaHeapIsSizedFromTheMemoryLimit() {
        LanguageProfile java = LanguageProfiles.find(LanguageProfiles.shipped(), "java").orElseThrow();
        Toolchain tc = new Toolchain(java, null, "/jdk", List.of(), null);
        assertThat(ExecuteCommand.runCommand(java, tc, 256 * 1024)).startsWith("/jdk/bin/java", "-Xmx208m").endsWith("Main");
        assertThat(ExecuteCommand.runCommand(java, tc, 64 * 1024)).contains("-Xmx32m");
        assertThat(ExecuteCommand.runCommand(java, tc, 0)).noneMatch(w -> w.startsWith("-Xmx"));
    }

    @Test
    void unknownKeysAndMissingCommandsAreRefused() {
        Properties p = new Properties();
        p.setProperty("languages", "x");
        p.setProperty("x.source", "main.x");
        p.setProperty("x.run", "./main");
        p.setProperty("x.runn", "typo");
        assertThatThrownBy(() -> LanguageProfiles.parse(p)).hasMessageContaining("x.runn");
        p.remove("x.runn");
        p.remove("x.run");
        assertThatThrownBy(() -> LanguageProfiles.parse(p)).hasMessageContaining("x.run");
    }
}
