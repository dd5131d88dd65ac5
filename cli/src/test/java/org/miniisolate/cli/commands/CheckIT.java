package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** check on this machine: every section, an exit code that agrees with the items, and nothing changed. */
class CheckIT {
    private static Jar jar;

    @BeforeAll
    static void open() {
        jar = Jar.open(65400);
    }

    @AfterAll
    static void close() {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void reportsEverySectionAndExitsByTheFailures() throws Exception {
        String aslrBefore = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/randomize_va_space"));
        Jar.Result text = jar.run("check");
        assertThat(text.exitCode()).as(text.toString()).isIn(0, 1);
        assertThat(text.stdout()).contains("cgroups\n").contains("protections\n").contains("fairness\n")
                .contains("languages\n").contains("cgroup layout:").contains("seccomp:").contains("aslr");
        assertThat(text.stdout()).containsPattern(text.exitCode() == 0 ? "all checks passed" : "check\\(s\\) failed");

        Jar.Result json = jar.run("check", "--json");
        JsonNode j = json.json();
        assertThat(j.get("passed").asBoolean()).isEqualTo(json.exitCode() == 0);
        List<String> sections = new ArrayList<>();
        for (JsonNode item : j.get("items")) {
            sections.add(item.get("section").asString());
            if (item.get("status").asString().equals("fail")) {
                assertThat(item.get("fix").isNull()).as(item.toString()).isFalse();
            }
        }
        assertThat(sections).contains("cgroups", "protections", "fairness", "languages");
        assertThat(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/randomize_va_space")))
                .isEqualTo(aslrBefore);
    }

    @Test
    void listsTheLanguagesThatWorkHere() {
        JsonNode j = jar.run("check", "--json").json();
        List<String> working = new ArrayList<>();
        for (JsonNode item : j.get("items")) {
            if (item.get("section").asString().equals("languages") && item.get("status").asString().equals("ok")) {
                working.add(item.get("name").asString());
            }
        }
        for (LanguageProfile p : LanguageProfiles.shipped()) {
            boolean installed = Toolchain.resolve(p, ExecuteCommand.hostProperties()).available();
            assertThat(working.contains(p.id()) || !installed).as(p.id()).isTrue();
        }
        assertThat(working).contains("c");
    }
}
