package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcLocksTest {
    @TempDir
    Path tmp;

    @Test
    void parsesHeldLocksAndSkipsWaiters() {
        ProcLocks l = ProcLocks.parse("""
                1: POSIX  ADVISORY  WRITE 4242 00:1f:123456 0 EOF
                1: -> POSIX  ADVISORY  WRITE 4343 00:1f:123456 0 EOF
                2: FLOCK  ADVISORY  WRITE 17 fd:01:99 0 EOF
                garbage
                """);
        assertThat(l).extracting("held").asList().hasSize(2);
    }

    @Test
    void seesALockThisProcessHolds() throws IOException {
        Path f = Files.createFile(tmp.resolve("7"));
        assertThat(ProcLocks.read().holderOf(f)).isEmpty();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE); FileLock lock = ch.lock()) {
            assertThat(ProcLocks.read().holderOf(f)).contains(ProcessHandle.current().pid());
        }
        assertThat(ProcLocks.read().holderOf(f)).isEmpty();
        assertThat(ProcLocks.read().holderOf(tmp.resolve("missing"))).isEmpty();
    }
}
