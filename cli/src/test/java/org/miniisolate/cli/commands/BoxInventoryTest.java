package org.miniisolate.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.miniisolate.SandboxConfig;
import org.miniisolate.box.BoxState;

/** The condition of a box from its state and its directory, on a fake installation. */
class BoxInventoryTest {
    @TempDir
    Path root;

    private static final ProcLocks NO_LOCKS = new ProcLocks(List.of());

    private BoxInventory.Entry entry(int id, BoxState state) {
        return BoxInventory.entry(SandboxConfig.withBoxRoot(root), id, Optional.ofNullable(state), null, NO_LOCKS);
    }

    private static BoxState state(boolean initialized) {
        return new BoxState(0, 0, true, "", initialized, Instant.parse("2026-01-02T03:04:05Z"), "OK cpu=1ms wall=2ms");
    }

    @Test
    void initializedWithItsDirectoryIsReady() throws IOException {
        Files.createDirectories(root.resolve("3/box"));
        BoxInventory.Entry e = entry(3, state(true));
        assertThat(e.condition()).isEqualTo("ready");
        assertThat(e.problem()).isNull();
        assertThat(e.ready()).isTrue();
        assertThat(e.owner()).isEqualTo("root");
        assertThat(e.lastRun()).isEqualTo("OK cpu=1ms wall=2ms");
    }

    @Test
    void initializedWithoutItsDirectoryIsStale() {
        BoxInventory.Entry e = entry(4, state(true));
        assertThat(e.condition()).isEqualTo("stale");
        assertThat(e.problem()).contains("missing").contains("cleanup --box-id 4");
    }

    @Test
    void aDirectoryWithoutStateIsStale() throws IOException {
        Files.createDirectories(root.resolve("5/box"));
        assertThat(entry(5, null).condition()).isEqualTo("stale");
        assertThat(entry(5, null).problem()).contains("without state");
    }

    @Test
    void anInitThatDidNotCompleteIsStale() throws IOException {
        Files.createDirectories(root.resolve("6"));
        assertThat(entry(6, state(false)).problem()).contains("did not complete");
    }

    @Test
    void nothingAtAllIsAbsent() {
        assertThat(entry(7, null).condition()).isEqualTo("absent");
    }

    @Test
    void aHeldLockMeansBusy() throws IOException {
        SandboxConfig c = SandboxConfig.withBoxRoot(root);
        Files.createDirectories(c.lockRoot());
        Path lockFile = Files.createFile(c.lockRoot().resolve("8"));
        long ino = (Long) Files.getAttribute(lockFile, "unix:ino");
        long dev = (Long) Files.getAttribute(lockFile, "unix:dev");
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        ProcLocks held = new ProcLocks(List.of(new ProcLocks.Held(major, minor, ino, 999)));
        BoxInventory.Entry e = BoxInventory.entry(c, 8, Optional.of(state(false)), null, held);
        assertThat(e.condition()).isEqualTo("busy");
        assertThat(e.lockHolderPid()).isEqualTo(999);
        assertThat(e.problem()).isNull();
    }
}
