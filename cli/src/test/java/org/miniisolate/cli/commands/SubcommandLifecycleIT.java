package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** init, status, list, run and cleanup end to end against the jar; help and completion; the isolate face untouched. */
class SubcommandLifecycleIT {
    private static Jar jar;

    @BeforeAll
    static void open() {
        jar = Jar.open(65000);
    }

    @AfterAll
    static void close() {
        if (jar != null) {
            jar.close();
        }
    }

    @Test
    void initStatusRunListCleanup() {
        Jar.Result init = jar.run("init", "--box-id", "3");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        assertThat(init.stdout()).isEqualTo(jar.boxRoot().resolve("3") + "\n");
        assertThat(jar.workDir(3)).isDirectory();

        Jar.Result status = jar.run("status", "--box-id", "3");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.stdout()).startsWith("box 3: ready").contains("cgroups    yes").contains("last run   -");

        Jar.Result run = jar.run("run", "--box-id", "3", "/bin/echo", "hello");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.stdout()).isEqualTo("hello\n");
        assertThat(run.stderr()).contains("verdict    OK").contains("cpu time").contains("wall time").contains("memory")
                .contains("exit code 0");

        JsonNode st = jar.run("status", "--box-id", "3", "--json").json();
        assertThat(st.get("condition").asString()).isEqualTo("ready");
        assertThat(st.get("cgroups").asBoolean()).isTrue();
        assertThat(st.get("ownerUid").asInt()).isZero();
        assertThat(st.get("lastRun").asString()).startsWith("OK cpu=");

        Jar.Result list = jar.run("list");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.stdout()).startsWith("BOX").containsPattern("(?m)^3 +ready +root +yes .*OK cpu=");

        Jar.Result cleanup = jar.run("cleanup", "--box-id", "3");
        assertThat(cleanup.exitCode()).isZero();
        assertThat(cleanup.stderr()).contains("box 3 removed");
        assertThat(jar.boxRoot().resolve("3")).doesNotExist();
        Jar.Result gone = jar.run("status", "--box-id", "3");
        assertThat(gone.exitCode()).isEqualTo(1);
        assertThat(gone.stdout()).startsWith("box 3: absent");
        assertThat(jar.run("cleanup", "--box-id", "3").stderr()).contains("nothing to do");
    }

    @Test
    void runWithoutInitSaysSo() {
        Jar.Result r = jar.run("run", "--box-id", "4", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(r.stderr()).contains("box 4 is not initialized").contains("mini-isolate init --box-id 4");
    }

    @Test
    void aProgramWithoutSlashIsFoundInTheBoxOrOnThePath() throws IOException {
        jar.init(5);
        Files.writeString(jar.workDir(5).resolve("hello.sh"), "echo from the box\n");
        Jar.Result fromPath = jar.run("run", "-b", "5", "sh", "hello.sh");
        assertThat(fromPath.exitCode()).as(fromPath.toString()).isZero();
        assertThat(fromPath.stdout()).isEqualTo("from the box\n");
        Jar.Result missing = jar.run("run", "-b", "5", "no-such-program");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.stderr()).contains("verdict    RUNTIME_ERROR").contains("exit code 127");
    }

    @Test
    void aStopSignalEndsTheRunAsInterruptedWithExit3() throws Exception {
        jar.init(8);
        Jar.Running running = jar.start("run", "--box-id", "8", "--json", "/bin/sleep", "30");
        // Wait until the box is busy (the run started), then ask mini-isolate to stop.
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline
                && !jar.run("status", "--box-id", "8", "--json").json().get("condition").asString().equals("busy")) {
            Thread.sleep(100);
        }
        Thread.sleep(300);
        new ProcessBuilder("kill", "-TERM", Long.toString(running.process().pid())).start().waitFor();
        Jar.Result r = running.await();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        assertThat(r.json().get("verdict").asString()).isEqualTo("INTERRUPTED");
        assertThat(r.json().get("wallTimeMs").asLong()).isLessThan(20_000);
    }

    @Test
    void everySubcommandHasHelpInTheJar() {
        for (String w : List.of("init", "run", "execute", "cleanup", "list", "status", "check", "completion")) {
            Jar.Result r = jar.run(w, "--help");
            assertThat(r.exitCode()).as(w).isZero();
            assertThat(r.stdout()).as(w).startsWith("Usage: mini-isolate " + w);
        }
        Jar.Result help = jar.run("help", "run");
        assertThat(help.stdout()).startsWith("Usage: mini-isolate run");
    }

    @Test
    void completionIsABashScript() {
        Jar.Result r = jar.run("completion");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).contains("complete -F").contains("init").contains("execute").contains("--box-id");
    }

    @Test
    void theIsolateFaceStillOwnsOptionsAndHelp() {
        Jar.Result help = jar.run("--help");
        assertThat(help.exitCode()).isEqualTo(2);
        assertThat(help.stderr()).contains("unrecognized option '--help'");
        Jar.Result init = jar.run("-b", "6", "--init");
        assertThat(init.exitCode()).as(init.toString()).isZero();
        Jar.Result run = jar.run("-b", "6", "--run", "--", "/bin/echo", "isolate");
        assertThat(run.stdout()).isEqualTo("isolate\n");
        assertThat(run.stderr()).startsWith("OK (");
        assertThat(jar.run("-b", "6", "--cleanup").exitCode()).isZero();
    }

    @Test
    void theIsolateFaceLoadsNeitherPicocliNorJackson() throws Exception {
        Path log = jar.root().resolve("classes.log");
        List<String> cmd = Jar.javaCommand("-Xlog:class+load=info:file=" + log);
        cmd.add("--version");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor()).isZero();
        String loaded = Files.readString(log);
        assertThat(loaded).contains("org.miniisolate.cli.isolate.IsolateMain");
        assertThat(loaded).doesNotContain("picocli.").doesNotContain("tools.jackson.")
                .doesNotContain("org.miniisolate.cli.commands.");
    }
}
