package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cgroup mode from the command line: --cg on every command, --cg-mem enforced by the OOM killer and reported as
 * isolate reports it, the per-box cpuset of the configuration, --print-cg-root. This machine's memory controller is
 * cgroup v1, where isolate 2.x fails.
 */
class CgroupIT {
    private static final int FIRST_UID = 64600;

    private static Cli cli;
    /** This class's own cgroup directory name (cg_root): nothing it creates can meet another suite's cgroups. */
    private static final String CG_NAME = "mi-it-" + UUID.randomUUID().toString().substring(0, 8);
    private static List<Path> roots = List.of();

    @BeforeAll
    static void open() {
        cli = Cli.open();
        cli.configure("first_uid = " + FIRST_UID, "first_gid = " + FIRST_UID, "num_boxes = 8",
                "cg_root = " + CG_NAME, "box2.cpus = 0", "box2.mems = 0");
        Cli.Result r = cli.run("--print-cg-root");
        assumeTrue(r.exitCode() == 0, "no usable cgroups here: " + r.stderr());
        roots = r.stdout().lines().map(Path::of).toList();
        assumeTrue(roots.stream().anyMatch(p -> p.getParent().resolve("memory.limit_in_bytes").toFile().exists()
                || p.getParent().resolve("memory.max").toFile().exists()), "no memory controller: " + roots);
    }

    @AfterAll
    static void close() throws IOException {
        try {
            List<Path> left = new ArrayList<>();
            for (Path root : roots) {
                if (Files.isDirectory(root)) {
                    try (DirectoryStream<Path> boxes = Files.newDirectoryStream(root, "box-*")) {
                        boxes.forEach(left::add);
                    }
                    // An empty cgroup directory is removed with rmdir; it was created for this class only.
                    Files.delete(root);
                }
            }
            assertThat(left).as("box cgroups left behind").isEmpty();
        } finally {
            if (cli != null) {
                cli.close();
            }
        }
    }

    @Test
    void printCgRootNamesOneDirectoryPerHierarchyUnderItsMount() {
        assertThat(roots).isNotEmpty().allSatisfy(p -> {
            assertThat(p.getFileName().toString()).isEqualTo(CG_NAME);
            assertThat(p.toString()).startsWith("/sys/fs/cgroup/");
        });
        assertThat(roots).doesNotHaveDuplicates();
    }

    @Test
    void aMemoryHogIsKilledByTheOomKillerAndReportedAsIsolateDoes() throws Exception {
        assertThat(cli.run("-b", "1", "--cg", "--init").exitCode()).isZero();
        Programs.install("mem_hog", cli.workDir(1));
        Path meta = cli.scratch().resolve("oom.meta");
        Cli.Result r = cli.run("-b", "1", "--cg", "--cg-mem=32768", "-M", meta.toString(), "--run", "--",
                "./mem_hog", "256");
        assertThat(r.exitCode()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).isEqualTo("Caught fatal signal 9\n");
        Meta m = Meta.parse(Files.readString(meta));
        assertThat(m.keys()).containsExactly("time", "time-wall", "max-rss", "csw-voluntary", "csw-forced",
                "cg-mem", "cg-oom-killed", "exitsig", "status", "message");
        assertThat(m.get("cg-oom-killed")).isEqualTo("1");
        assertThat(Long.parseLong(m.get("cg-mem"))).as("peak near the 32 MiB limit").isBetween(24_000L, 33_000L);
        assertThat(m.get("exitsig")).isEqualTo("9");
        assertThat(m.get("status")).isEqualTo("SG");

        // Per run, unlike isolate: the next run of the box has no OOM kill to report.
        Cli.Result again = cli.run("-b", "1", "--cg", "-M", meta.toString(), "--run", "--", "./mem_hog", "4");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        Meta m2 = Meta.parse(Files.readString(meta));
        assertThat(m2.keys()).containsExactly("time", "time-wall", "max-rss", "csw-voluntary", "csw-forced",
                "cg-mem", "exitcode");
        assertThat(Long.parseLong(m2.get("cg-mem"))).isBetween(1L, 24_000L);
        assertThat(cli.run("-b", "1", "--cg", "--cleanup").exitCode()).isZero();
        Files.delete(meta);
    }

    @Test
    void theCgModeMustBeGivenToEveryCommandOfABox() {
        assertThat(cli.run("-b", "3", "--cg", "--init").exitCode()).isZero();
        for (String[] args : List.of(new String[] {"-b", "3", "--run", "--", "/bin/true"},
                new String[] {"-b", "3", "--init"}, new String[] {"-b", "3", "--cleanup"})) {
            Cli.Result r = cli.run(args);
            assertThat(r.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(r.stderr()).as(String.join(" ", args))
                    .startsWith("This box was initialized with an incompatible control group mode");
        }
        assertThat(cli.run("-b", "3", "--cg", "--cleanup").exitCode()).isZero();

        cli.init(4);
        Cli.Result r = cli.run("-b", "4", "--cg", "--run", "--", "/bin/true");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).isEqualTo(
                "This box was initialized with an incompatible control group mode (it was not initialized with --cg)\n");
        assertThat(cli.run("-b", "4", "--cg", "--cg-timing", "--init").exitCode()).isEqualTo(2);
        assertThat(cli.run("-b", "4", "--cleanup").exitCode()).isZero();
        // Once cleaned up, the box may start over in the other mode.
        assertThat(cli.run("-b", "4", "--cg", "--init").exitCode()).isZero();
        assertThat(cli.run("-b", "4", "--cg", "--no-cg-timing", "--run", "--", "/bin/true").exitCode()).isZero();
        assertThat(cli.run("-b", "4", "--cg", "--cleanup").exitCode()).isZero();
    }

    @Test
    void theConfiguredCpusetOfABoxAppliesInCgModeOnly() {
        assertThat(cli.run("-b", "2", "--cg", "--init").exitCode()).isZero();
        Cli.Result r = cli.run("-b", "2", "--cg", "--run", "--", "/bin/grep", "Cpus_allowed_list", "/proc/self/status");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("Cpus_allowed_list:\t0\n");
        assertThat(cli.run("-b", "2", "--cg", "--cleanup").exitCode()).isZero();

        assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "one CPU: nothing to tell apart");
        cli.init(2);
        Cli.Result plain = cli.run("-b", "2", "--run", "--", "/bin/grep", "Cpus_allowed_list", "/proc/self/status");
        assertThat(plain.stdout()).isNotEqualTo("Cpus_allowed_list:\t0\n");
        assertThat(cli.run("-b", "2", "--cleanup").exitCode()).isZero();
    }

    @Test
    void cgMemWithoutCgIsAUsageError() {
        Cli.Result r = cli.run("-b", "5", "--cg-mem=1000", "--init");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("Options related to control groups require --cg to be set.\n");
    }
}
