package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** The resource flags of run on real runs: the seed's checks, combinations, JSON and capture, and no leaking. */
class RunLimitsIT {
    private static final String B = "0";
    private static Jar jar;

    @BeforeAll
    static void open() throws Exception {
        jar = Jar.open(65100);
        jar.init(0);
        compile("mle.c", "hog");
        compile("alloc.c", "alloc");
    }

    /** A test program compiled on the host into the box. */
    private static void compile(String source, String name) throws Exception {
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", jar.workDir(0).resolve(name).toString(),
                jar.program(source).toString()).inheritIO().start();
        assertThat(gcc.waitFor()).isZero();
    }

    @AfterAll
    static void close() {
        if (jar != null) {
            jar.close();
        }
    }

    private static Jar.Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("run", "--box-id", B));
        all.addAll(List.of(args));
        return jar.run(all.toArray(String[]::new));
    }

    @Test
    void seedWallTimeLimitExits2() {
        Jar.Result r = jar.run("run", "--box-id", "0", "--max-time", "1", "/bin/sleep", "--", "3");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.stderr()).contains("WALL_TIME_LIMIT");
    }

    @Test
    void seedCpuLimitOnABusyLoopExits2() {
        Jar.Result r = run("--max-cpu", "1", "--json", "/bin/sh", "-c", "while :; do :; done");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        JsonNode j = r.json();
        assertThat(j.get("verdict").asString()).isEqualTo("TIME_LIMIT");
        assertThat(j.get("killed").asBoolean()).isTrue();
        assertThat(j.get("cpuTimeMs").asLong()).isBetween(1000L, 1500L);
    }

    @Test
    void seedMemoryLimitOnAHogExits1() {
        Jar.Result r = run("--max-memory", "5", "--json", "./hog");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        JsonNode j = r.json();
        assertThat(j.get("verdict").asString()).isEqualTo("MEMORY_LIMIT");
        assertThat(j.get("oomKilled").asBoolean()).isTrue();
        assertThat(j.get("memorySource").asString()).isEqualTo("cgroup");
        assertThat(j.get("memoryKib").asLong()).isBetween(4000L, 5120L);
        assertThat(j.get("limits").get("memoryEnforcement").asString()).isEqualTo("cgroup");
    }

    @Test
    void combinedLimitsTheFirstOneHitDecides() {
        Jar.Result sleeper = run("--max-cpu", "1", "--max-time", "1.5", "--max-memory", "64", "/bin/sleep", "5");
        assertThat(sleeper.exitCode()).isEqualTo(2);
        assertThat(sleeper.stderr()).contains("WALL_TIME_LIMIT");
        Jar.Result spinner = run("--max-cpu", "0.5", "--max-time", "5", "--max-memory", "64", "/bin/sh", "-c", "while :; do :; done");
        assertThat(spinner.exitCode()).isEqualTo(2);
        assertThat(spinner.stderr()).contains("verdict    TIME_LIMIT");
        Jar.Result hog = run("--max-cpu", "5", "--max-time", "10", "--max-memory", "8", "--max-processes", "1", "./hog");
        assertThat(hog.exitCode()).isEqualTo(1);
        assertThat(hog.stderr()).contains("MEMORY_LIMIT").contains("OOM killer");
        Jar.Result ok = run("--max-cpu", "1", "--max-time", "2", "--max-memory", "64", "--max-processes", "4",
                "--max-file-size", "1", "/bin/true");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
    }

    @Test
    void inABoxWithoutCgroupsMemoryIsAnAddressSpaceLimitWithOneWarning() throws Exception {
        assertThat(jar.run("-b", "1", "--init").exitCode()).isZero();
        Process gcc = new ProcessBuilder("gcc", "-O2", "-o", jar.workDir(1).resolve("hog").toString(),
                jar.program("mle.c").toString()).inheritIO().start();
        assertThat(gcc.waitFor()).isZero();
        Jar.Result r = jar.run("run", "--box-id", "1", "--max-memory", "16", "--json", "./hog");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.stderr().lines().filter(l -> l.startsWith("mini-isolate: warning:")).toList()).singleElement()
                .asString().contains("RLIMIT_AS").contains("initialized without cgroups");
        JsonNode j = r.json();
        assertThat(j.get("limits").get("memoryEnforcement").asString()).isEqualTo("address-space");
        assertThat(j.get("memorySource").asString()).isEqualTo("max-rss");
        assertThat(j.get("verdict").asString()).isIn("RUNTIME_ERROR", "SIGNALED");
        assertThat(jar.run("cleanup", "--box-id", "1").exitCode()).isZero();
    }

    @Test
    void aRuntimeErrorExits1() {
        Jar.Result r = run("/bin/sh", "-c", "exit 7");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("RUNTIME_ERROR").contains("exit code 7");
    }

    @Test
    void overridesDoNotLeakIntoTheNextRun() {
        // memory
        assertThat(run("--max-memory", "5", "./alloc", "20").exitCode()).isEqualTo(1);
        Jar.Result after = run("--json", "./alloc", "20");
        assertThat(after.json().get("verdict").asString()).as(after.toString()).isEqualTo("OK");
        assertThat(after.json().get("limits").get("memoryKib").asLong()).isZero();
        assertThat(after.json().get("memoryKib").asLong()).isGreaterThan(20 * 1024);
        // processes
        String fork = "/bin/true && echo forked";
        Jar.Result one = run("--max-processes", "1", "/bin/sh", "-c", fork);
        assertThat(one.stdout()).isEmpty();
        assertThat(run("/bin/sh", "-c", fork).stdout()).isEqualTo("forked\n");
        // file size
        String write = "/usr/bin/head -c 4096 /dev/zero > big && echo written";
        Jar.Result small = run("--max-file-size", "1K", "/bin/sh", "-c", write);
        assertThat(small.exitCode()).isEqualTo(1);
        assertThat(run("/bin/sh", "-c", write).stdout()).isEqualTo("written\n");
        // network: the host's interfaces, then only loopback again
        Jar.Result shared = run("--network", "/bin/cat", "/proc/net/dev");
        assertThat(shared.exitCode()).isZero();
        Jar.Result privateNet = run("/bin/cat", "/proc/net/dev");
        assertThat(privateNet.stdout().lines().count()).isEqualTo(3);
        assertThat(privateNet.stdout()).contains("lo:");
        // time
        assertThat(run("--max-cpu", "0.2", "/bin/sh", "-c", "while :; do :; done").exitCode()).isEqualTo(2);
        assertThat(run("/bin/sh", "-c", "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done").exitCode()).isZero();
    }

    @Test
    void jsonCarriesTheWholeResultAndCapturedStreams() {
        Jar.Result r = run("--json", "--capture", "/bin/sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exitCode()).isEqualTo(1);
        JsonNode j = r.json();
        List<String> names = new ArrayList<>();
        j.propertyNames().forEach(names::add);
        assertThat(names).containsExactly("box", "command", "verdict", "exitCode", "signal", "cpuTimeMs", "wallTimeMs",
                "memoryKib", "memorySource", "maxRssKib", "cgroupMemoryKib", "oomKilled", "killed", "started", "message",
                "voluntaryContextSwitches", "involuntaryContextSwitches", "limits", "stdout", "stderr");
        assertThat(j.get("verdict").asString()).isEqualTo("RUNTIME_ERROR");
        assertThat(j.get("exitCode").asInt()).isEqualTo(3);
        assertThat(j.get("signal").isNull()).isTrue();
        assertThat(j.get("stdout").get("text").asString()).isEqualTo("out\n");
        assertThat(j.get("stderr").get("text").asString()).isEqualTo("err\n");
        assertThat(j.get("stdout").get("truncated").asBoolean()).isFalse();
        assertThat(j.get("started").asBoolean()).isTrue();
        assertThat(jar.workDir(0).resolve(Capture.STDOUT)).doesNotExist();
    }

    @Test
    void capturedOutputIsCappedAndFlagged() {
        Jar.Result r = run("--json", "--capture", "--max-output", "1K", "/usr/bin/head", "-c", "5000", "/dev/zero");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        JsonNode j = r.json();
        assertThat(j.get("signal").asInt()).isEqualTo(25);
        assertThat(j.get("stdout").get("bytes").asLong()).isEqualTo(1024);
        assertThat(j.get("stdout").get("truncated").asBoolean()).isTrue();
        assertThat(j.get("limits").get("fileSizeKib").asLong()).isEqualTo(1);
    }

    @Test
    void captureInHumanModeShowsTheOutputThenTheSummary() {
        Jar.Result r = run("--capture", "/bin/echo", "captured");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("captured\n");
        assertThat(r.stderr()).contains("verdict    OK");
    }

    @Test
    void stdinComesFromACallersFile() {
        Path in = jar.file("input.txt", "3 4\n");
        Jar.Result r = run("--stdin", in.toString(), "/bin/cat");
        assertThat(r.exitCode()).isZero();
        assertThat(r.stdout()).isEqualTo("3 4\n");
        assertThat(jar.workDir(0).resolve(Capture.STDIN)).doesNotExist();
    }
}
