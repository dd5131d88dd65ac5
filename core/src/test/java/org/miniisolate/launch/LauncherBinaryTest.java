package org.miniisolate.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LauncherBinaryTest {
    @TempDir
    Path temp;

    @Test
    void extractsUnderItsHashIntoAPrivateDirectory() throws Exception {
        Path dir = temp.resolve("launcher");
        Path exe = LauncherBinary.extract(dir);
        String hash = LauncherBinary.sha256(Files.readAllBytes(exe));
        assertThat(exe.getFileName().toString()).isEqualTo("mini-isolate-launcher-" + hash.substring(0, 16));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exe))).isEqualTo("rwx------");
        assertThat(Files.readAllBytes(exe)).isEqualTo(Files.readAllBytes(Path.of(System.getProperty(LauncherBinary.PROPERTY))));
    }

    @Test
    void aTamperedCopyIsReplaced() throws Exception {
        Path dir = temp.resolve("launcher");
        Path exe = LauncherBinary.extract(dir);
        byte[] good = Files.readAllBytes(exe);
        Files.write(exe, new byte[] {'#', '!', '/', 'b', 'a', 'd'});
        assertThat(LauncherBinary.extract(dir)).isEqualTo(exe);
        assertThat(Files.readAllBytes(exe)).isEqualTo(good);
    }

    @Test
    void anIntactCopyIsTrustedByNameOwnerModeAndSizeWithoutBeingRead() throws Exception {
        Path dir = temp.resolve("launcher");
        Path exe = LauncherBinary.extract(dir);
        long written = Files.getLastModifiedTime(exe).toMillis();
        Files.setLastModifiedTime(exe, java.nio.file.attribute.FileTime.fromMillis(written - 60_000));
        assertThat(LauncherBinary.extract(dir)).isEqualTo(exe);
        assertThat(Files.getLastModifiedTime(exe).toMillis()).as("not written again").isEqualTo(written - 60_000);
        assertThat(LauncherBinary.embedded().size()).isEqualTo(Files.size(exe));
    }

    @Test
    void aCopyWithAnotherModeOrOwnerIsWrittenAgain() throws Exception {
        Path dir = temp.resolve("launcher");
        Path exe = LauncherBinary.extract(dir);
        Files.setPosixFilePermissions(exe, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(LauncherBinary.extract(dir)).isEqualTo(exe);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exe))).isEqualTo("rwx------");

        org.junit.jupiter.api.Assumptions.assumeTrue(org.miniisolate.nativeio.Libc.geteuid() == 0, "chown needs root");
        Files.setAttribute(exe, "unix:uid", 65534);
        assertThat(LauncherBinary.extract(dir)).isEqualTo(exe);
        assertThat(Files.getAttribute(exe, "unix:uid")).isEqualTo(0);
    }

    @Test
    void theRecordedSizeIsTheBinarysSize() throws Exception {
        LauncherBinary.Embedded e = LauncherBinary.embedded();
        assertThat(e.sha256()).hasSize(64);
        assertThat(e.size()).isEqualTo(Files.size(Path.of(System.getProperty(LauncherBinary.PROPERTY))));
    }

    @Test
    void aDirectoryOthersCanWriteIsRefused() throws Exception {
        Path dir = Files.createDirectory(temp.resolve("open"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThatThrownBy(() -> LauncherBinary.extract(dir)).hasMessageContaining("writable by nobody else");
    }

    @Test
    void aSymlinkedDirectoryIsRefused() throws Exception {
        Path real = Files.createDirectory(temp.resolve("real"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path link = Files.createSymbolicLink(temp.resolve("link"), real);
        assertThatThrownBy(() -> LauncherBinary.extract(link)).hasMessageContaining("writable by nobody else");
    }
}
