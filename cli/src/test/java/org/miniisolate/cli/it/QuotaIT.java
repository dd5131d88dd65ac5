package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code -q BLOCKS,INODES} at {@code --init}: the box directory becomes its own small filesystem, so a program that
 * fills it gets ENOSPC and the host's disk never sees the data; {@code --cleanup} removes that filesystem.
 */
class QuotaIT {
    private static final int FIRST_UID = 64500;

    private static Cli cli;

    @BeforeAll
    static void open() {
        cli = Cli.open();
        cli.configure("first_uid = " + FIRST_UID, "first_gid = " + FIRST_UID, "num_boxes = 4");
    }

    @AfterAll
    static void close() {
        if (cli != null) {
            cli.close();
        }
    }

    @Test
    void aDiskFillerGetsNoSpaceInsideItsOwnFilesystemAndCleanupUnmountsIt() throws Exception {
        Cli.Result init = cli.run("-b", "1", "-q", "1024,100", "--init");
        assertThat(init.exitCode()).as(init.stderr()).isZero();
        assertThat(Mounts.typeAt(cli.boxDir(1))).as("the box directory is a mount of its own").isEqualTo("tmpfs");

        // 2 MiB into a 1 MiB quota; -q given to --run means nothing, as in isolate.
        Cli.Result fill = cli.run("-b", "1", "-q", "999999,999999", "--run", "--", "/bin/dd", "if=/dev/zero",
                "of=big", "bs=1024", "count=2048");
        assertThat(fill.exitCode()).isEqualTo(1);
        assertThat(fill.stderr()).contains("No space left on device");
        assertThat(Files.size(cli.workDir(1).resolve("big"))).isLessThanOrEqualTo(1024 * 1024);

        // Space comes back when the file goes; then the inode limit bites (100 for the whole box).
        Files.delete(cli.workDir(1).resolve("big"));
        Cli.Result files = cli.run("-b", "1", "--run", "--", "/bin/sh", "-c",
                "i=0; while [ $i -lt 200 ]; do : > f$i || exit 3; i=$((i+1)); done");
        assertThat(files.exitCode()).isEqualTo(1);
        assertThat(files.stderr()).contains("No space left on device");
        try (var made = Files.list(cli.workDir(1))) {
            assertThat(made.count()).isBetween(50L, 100L);
        }

        Cli.Result cleanup = cli.run("-b", "1", "--cleanup");
        assertThat(cleanup.exitCode()).isZero();
        assertThat(Mounts.under(cli.boxRoot())).as("mounts left under the box root").isEmpty();
        assertThat(cli.boxDir(1)).doesNotExist();
    }

    @Test
    void zeroBlocksMeansNoQuotaAsInIsolate() {
        assertThat(cli.run("-b", "2", "-q", "0,0", "--init").exitCode()).isZero();
        assertThat(Mounts.typeAt(cli.boxDir(2))).isNull();
        assertThat(cli.run("-b", "2", "--cleanup").exitCode()).isZero();
    }

    @Test
    void reinitializingAQuotaBoxWithoutAQuotaDropsTheFilesystem() {
        assertThat(cli.run("-b", "3", "-q", "2048,50", "--init").exitCode()).isZero();
        assertThat(Mounts.typeAt(cli.boxDir(3))).isEqualTo("tmpfs");
        assertThat(cli.run("-b", "3", "--init").exitCode()).isZero();
        assertThat(Mounts.under(cli.boxDir(3))).isEmpty();
        assertThat(cli.workDir(3)).isEmptyDirectory();
        assertThat(cli.run("-b", "3", "--cleanup").exitCode()).isZero();
        assertThat(Mounts.under(cli.boxRoot())).isEmpty();
    }
}
