package org.miniisolate.box;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BoxLocksTest {
    @TempDir
    Path temp;

    @Test
    void aSecondManagerIsRefusedWhileTheFirstHoldsTheBox() {
        BoxLocks locks = new BoxLocks(temp.resolve("locks"));
        try (BoxLocks.Held held = locks.acquire(3, false)) {
            assertThatThrownBy(() -> CompletableFuture.supplyAsync(() -> locks.acquire(3, false)).join())
                    .hasCauseInstanceOf(BoxBusyException.class)
                    .hasMessageContaining("currently in use");
            // another box is independent
            locks.acquire(4, false).close();
        }
        locks.acquire(3, false).close();
    }

    @Test
    void waitingSerializesManagers() throws Exception {
        BoxLocks locks = new BoxLocks(temp.resolve("locks"));
        AtomicBoolean firstDone = new AtomicBoolean();
        CountDownLatch holding = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> {
            try (BoxLocks.Held h = locks.acquire(1, true)) {
                holding.countDown();
                Thread.sleep(300);
                firstDone.set(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        try (BoxLocks.Held h = locks.acquire(1, true)) {
            assertThat(firstDone).isTrue();
        }
        first.get(10, TimeUnit.SECONDS);
    }

    @Test
    void theLockFileIsPrivateAndOutlivesReleases() throws Exception {
        BoxLocks locks = new BoxLocks(temp.resolve("locks"));
        locks.acquire(0, false).close();
        Path f = temp.resolve("locks/0");
        assertThat(f).exists();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
    }

    @Test
    void stateIsWrittenWholeAndReadBack() throws Exception {
        BoxLocks locks = new BoxLocks(temp.resolve("locks"));
        locks.acquire(7, false).close();
        Path stateFile = locks.stateFile(7);
        assertThat(BoxState.read(stateFile)).isEmpty();
        BoxState s = new BoxState(1000, 1000, true, "1024,100", false, Instant.parse("2026-11-22T01:00:00Z"), "");
        s.write(stateFile);
        s.withInitialized(true).withLastRun("OK 0.010s\nsecond line").write(stateFile);
        BoxState back = BoxState.read(stateFile).orElseThrow();
        assertThat(back.initialized()).isTrue();
        assertThat(back.cgroups()).isTrue();
        assertThat(back.quota()).isEqualTo("1024,100");
        assertThat(back.lastRun()).isEqualTo("OK 0.010s second line");
        assertThat(back.ownerUid()).isEqualTo(1000);
        try (var files = java.nio.file.Files.list(temp.resolve("locks"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("7", "7.state");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aDamagedStateSaysWhatToDo() throws Exception {
        Path stateFile = temp.resolve("8.state");
        Files.writeString(stateFile, "owner.uid=banana\n");
        assertThatThrownBy(() -> BoxState.read(stateFile)).hasMessageContaining("damaged").hasMessageContaining("--cleanup");
    }
}
