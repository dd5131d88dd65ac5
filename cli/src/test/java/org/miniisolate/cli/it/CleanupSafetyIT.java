package org.miniisolate.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code --cleanup} of a box whose program built traps for it: the box goes, everything outside it stays as it was.
 */
class CleanupSafetyIT {
    private static final int FIRST_UID = 64800;
    private static final int BOX = 1;
    private static final String B = Integer.toString(BOX);

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
    void cleanupRemovesTheBoxAndNothingElse() throws Exception {
        Path canaryDir = Files.createDirectory(cli.scratch().resolve("canary"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path canaryFile = Files.writeString(canaryDir.resolve("precious.txt"), "keep me\n");
        Files.setPosixFilePermissions(canaryFile, PosixFilePermissions.fromString("rw-------"));

        cli.init(BOX);
        Programs.install("cleanup_traps", cli.workDir(BOX));
        // --special-files keeps the symlinks the program makes, so they are still there for --cleanup.
        Cli.Result r = cli.run("-b", B, "--special-files", "--run", "--", "./cleanup_traps", canaryDir.toString(),
                "10000");
        assertThat(r.exitCode()).as(r.stderr()).isZero();
        assertThat(r.stdout()).isEqualTo("traps set\n");
        Path box = cli.workDir(BOX);
        assertThat(Files.readSymbolicLink(box.resolve("to-canary"))).isEqualTo(canaryDir);
        assertThat(Files.getAttribute(box.resolve("locked"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .satisfies(mode -> assertThat(((Integer) mode) & 0777).isZero());
        // A hard link to a host file, as a careless copy into the box (cp -l) would leave; a program cannot make
        // one itself (its box is another mount, and link() does not cross mounts).
        Files.createLink(box.resolve("hardlink"), canaryFile);

        Cli.Result cleanup = cli.run("-b", B, "--cleanup");
        assertThat(cleanup.exitCode()).as(cleanup.stderr()).isZero();
        assertThat(cli.boxDir(BOX)).doesNotExist();

        assertThat(canaryFile).hasContent("keep me");
        assertThat(Files.getPosixFilePermissions(canaryFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getAttribute(canaryFile, "unix:uid")).isEqualTo(0);
        assertThat(Files.getAttribute(canaryFile, "unix:nlink")).isEqualTo(1);
        try (var left = Files.list(canaryDir)) {
            assertThat(left).containsExactly(canaryFile);
        }
        assertThat(Path.of("/")).isDirectory();
    }
}
