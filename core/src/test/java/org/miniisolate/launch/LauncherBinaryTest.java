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
