package org.miniisolate.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.nativeio.DirFd;
import org.miniisolate.nativeio.Libc;

/** Supervisor-side walks over hostile trees: nothing outside the tree is ever touched. */
class TreeWalkerTest {
    @TempDir
    Path temp;

    private Path canary() throws Exception {
        Path host = Files.createDirectory(temp.resolve("host"));
        Files.writeString(host.resolve("precious"), "keep me");
        return host;
    }

    @Test
    void deleteNeverFollowsSymlinks() throws Exception {
        Path host = canary();
        Path box = Files.createDirectory(temp.resolve("box"));
        Files.createSymbolicLink(box.resolve("to-dir"), host);
        Files.createSymbolicLink(box.resolve("to-file"), host.resolve("precious"));
        Files.createDirectories(box.resolve("a/b"));
        Files.createSymbolicLink(box.resolve("a/b/up"), Path.of("../../../host"));
        TreeWalker.deleteTree(box);
        assertThat(box).doesNotExist();
        assertThat(Files.readString(host.resolve("precious"))).isEqualTo("keep me");
    }

    @Test
    void deleteLeavesHardLinkedHostFilesIntact() throws Exception {
        Path host = canary();
        Path box = Files.createDirectory(temp.resolve("box"));
        Files.createLink(box.resolve("link"), host.resolve("precious"));
        TreeWalker.deleteTree(box);
        assertThat(box).doesNotExist();
        assertThat(Files.readString(host.resolve("precious"))).isEqualTo("keep me");
    }

    @Test
    void deletesDeepUnreadableAndOddlyNamedTrees() throws Throwable {
        Path box = Files.createDirectory(temp.resolve("box"));
        // 10,000 levels: far beyond PATH_MAX, so only a descriptor-relative walk can do it.
        int depth = 10_000;
        int fd = DirFd.openDirectory(DirFd.AT_FDCWD, box.toString().getBytes(StandardCharsets.UTF_8));
        try {
            for (int i = 0; i < depth; i++) {
                int next = mkdirAndOpen(fd, "d");
                Libc.close(fd);
                fd = next;
            }
        } finally {
            Libc.close(fd);
        }
        Path locked = Files.createDirectories(box.resolve("locked/inner"));
        Files.writeString(locked.resolve("f"), "x");
        Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
        Files.setPosixFilePermissions(box.resolve("locked"), PosixFilePermissions.fromString("---------"));
        Files.writeString(box.resolve("new\nline"), "x");
        Files.write(box.resolve("plain"), new byte[] {1});
        TreeWalker.deleteTree(box);
        assertThat(box).doesNotExist();
    }

    @Test
    void deleteRemovesNonUtf8Names() throws Exception {
        assumeTrue(Libc.geteuid() >= 0);
        Path box = Files.createDirectory(temp.resolve("box"));
        Process p = new ProcessBuilder("sh", "-c", "touch \"$(printf 'bad\\377name')\"").directory(box.toFile()).start();
        assertThat(p.waitFor()).isZero();
        assertThat(DirFd.list(DirFd.openDirectory(DirFd.AT_FDCWD, box.toString().getBytes(StandardCharsets.UTF_8)))).hasSize(1);
        TreeWalker.deleteTree(box);
        assertThat(box).doesNotExist();
    }

    @Test
    void deleteRefusesToCrossIntoAnotherFilesystem() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root to mount a tmpfs");
        Path box = Files.createDirectory(temp.resolve("box"));
        Path mnt = Files.createDirectory(box.resolve("mnt"));
        assertThat(new ProcessBuilder("mount", "-t", "tmpfs", "none", mnt.toString()).start().waitFor()).isZero();
        try {
            Files.writeString(mnt.resolve("on-other-fs"), "x");
            assertThatThrownBy(() -> TreeWalker.deleteTree(box)).hasMessageContaining("Unexpected mount point");
            assertThat(mnt.resolve("on-other-fs")).exists();
        } finally {
            new ProcessBuilder("umount", mnt.toString()).start().waitFor();
        }
        TreeWalker.deleteTree(box);
        assertThat(box).doesNotExist();
    }

    @Test
    void handBackGivesAwayOnlyWhatTheBoxUserOwnsAndDropsSpecialFiles() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root to chown");
        Path host = canary();
        Path box = Files.createDirectory(temp.resolve("box"));
        Path mine = Files.writeString(box.resolve("mine"), "x");
        Files.createDirectory(box.resolve("sub"));
        Path inSub = Files.writeString(box.resolve("sub/f"), "x");
        Files.createLink(box.resolve("hostlink"), host.resolve("precious"));
        Files.createSymbolicLink(box.resolve("sym"), host);
        TreeWalker.chownTree(box, -1, 60000, 60000, false); // hand over: everything
        Files.setAttribute(host.resolve("precious"), "unix:uid", 0); // the host file is not the box user's
        TreeWalker.chownTree(box, 60000, 1234, 1234, true);   // hand back
        assertThat(Files.getAttribute(mine, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(inSub, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(box, "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(host.resolve("precious"), "unix:uid")).isEqualTo(0);
        assertThat(box.resolve("sym")).doesNotExist();
        assertThat(Files.exists(box.resolve("sym"), LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(host).exists();
    }

    @Test
    void aHardLinkedFileIsNeverChowned() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root to chown");
        Path host = canary();
        Files.setAttribute(host.resolve("precious"), "unix:uid", 0);
        Path box = Files.createDirectory(temp.resolve("box"));
        Files.createLink(box.resolve("link"), host.resolve("precious"));
        Files.writeString(box.resolve("own"), "x");
        TreeWalker.chownTree(box, -1, 60000, 60000, false);
        assertThat(Files.getAttribute(host.resolve("precious"), "unix:uid")).isEqualTo(0);
        assertThat(Files.getAttribute(box.resolve("own"), "unix:uid")).isEqualTo(60000);
    }

    @Test
    void aMissingTreeIsFine() {
        TreeWalker.deleteTree(temp.resolve("absent"));
    }

    private static int mkdirAndOpen(int dirFd, String name) throws Throwable {
        byte[] n = name.getBytes(StandardCharsets.UTF_8);
        TestMkdir.mkdirat(dirFd, n);
        return DirFd.openDirectory(dirFd, n);
    }
}
