package org.miniisolate.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The libc calls, all but posix_spawn and strerror made through one syscall(2) downcall: results and errno. */
class LibcTest {
    @Test
    void idsAreTheProcesssOwn() throws Exception {
        String status = Files.readString(Path.of("/proc/self/status"));
        String uid = status.lines().filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow().split("\\s+")[2];
        String gid = status.lines().filter(l -> l.startsWith("Gid:")).findFirst().orElseThrow().split("\\s+")[2];
        assertThat(Libc.geteuid()).isEqualTo(Integer.parseInt(uid));
        assertThat(Libc.getegid()).isEqualTo(Integer.parseInt(gid));
    }

    @Test
    void aPipeCarriesBytesAndTellsItsEnd() {
        int[] p = Libc.pipe(true);
        try {
            assertThat(Libc.pollReadable(p[0], 0)).isFalse();
            Libc.writeFully(p[1], "hello".getBytes(StandardCharsets.US_ASCII));
            assertThat(Libc.pollReadable(p[0], 1000)).isTrue();
            byte[] buf = new byte[16];
            int n = Libc.read(p[0], buf);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("hello");
            Libc.close(p[1]);
            p[1] = -1;
            assertThat(Libc.pollReadable(p[0], 1000)).as("hang-up counts as readable").isTrue();
            assertThat(Libc.read(p[0], buf)).isZero();
        } finally {
            Libc.close(p[0]);
            Libc.close(p[1]);
        }
    }

    @Test
    void aMemfdHoldsWhatWasWritten() throws Exception {
        byte[] data = new byte[200_000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        int fd = Libc.memfdWith("libc-test", data);
        try {
            assertThat(Files.readAllBytes(Path.of("/proc/self/fd/" + fd))).isEqualTo(data);
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString()).contains("memfd:libc-test");
        } finally {
            Libc.close(fd);
        }
    }

    @Test
    void errnoIsCapturedAndNamed() {
        assertThatThrownBy(() -> Libc.read(-1, new byte[1])).isInstanceOf(NativeException.class)
                .hasMessage("read: Bad file descriptor")
                .satisfies(e -> assertThat(((NativeException) e).errno()).isEqualTo(9)); // EBADF
        assertThatThrownBy(() -> Libc.setCloseOnExec(-1)).hasMessageContaining("fcntl(F_SETFD): Bad file descriptor");
        assertThat(Libc.kill(Integer.MAX_VALUE, 0)).as("no such process").isFalse();
        assertThat(Libc.strerror(2)).isEqualTo("No such file or directory");
    }

    @Test
    void aSpawnedChildIsReapedWithItsStatus() {
        int pid = Libc.spawn("/bin/sh", List.of("sh", "-c", "exit 7"));
        int status = Libc.waitpid(pid);
        assertThat((status >> 8) & 0xff).isEqualTo(7);
        assertThatThrownBy(() -> Libc.waitpid(pid)).hasMessageContaining("waitpid: No child processes");
    }

    @Test
    void directoryCallsWorkRelativeToAnOpenDirectory(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        Files.createDirectory(dir.resolve("d"));
        int fd = DirFd.openDirectory(DirFd.AT_FDCWD, dir.toString().getBytes(StandardCharsets.UTF_8));
        try {
            assertThat(DirFd.list(fd).stream().map(DirFd::printable)).containsExactlyInAnyOrder("f", "d");
            assertThat(DirFd.stat(fd, "f".getBytes()).isRegularFile()).isTrue();
            assertThat(DirFd.stat(fd, "d".getBytes()).isDirectory()).isTrue();
            DirFd.chown(fd, "f".getBytes(), -1, -1); // -1: keep both, as chown(2) means it
            DirFd.unlink(fd, "f".getBytes(), false);
            DirFd.unlink(fd, "d".getBytes(), true);
            assertThat(DirFd.list(fd)).isEmpty();
            assertThatThrownBy(() -> DirFd.stat(fd, "f".getBytes())).hasMessage("stat(f): No such file or directory");
        } finally {
            Libc.close(fd);
        }
    }
}
