package org.miniisolate.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.miniisolate.nativeio.Libc;

/**
 * From its second run on, a launcher is started ahead and waits for its spec on a pipe: it is
 * used once, a dead one is replaced, and closing ends the one still waiting.
 */
class WaitingLauncherTest {
    private Launcher launcher;
    private Path root;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Libc.geteuid() == 0, "needs root: the launcher checks and uses root-only steps");
        launcher = new Launcher(Path.of(System.getProperty(LauncherBinary.PROPERTY)));
        root = Files.createTempDirectory("launcher-waiting-test");
    }

    @AfterEach
    void stop() throws Exception {
        if (launcher != null) {
            launcher.close();
        }
        if (root != null) {
            Files.deleteIfExists(root);
        }
    }

    /** Gets as far as exec of a program that does not exist: the whole box was built. */
    private LauncherReport run() {
        LaunchSpec spec = new LaunchSpec(root.toString(), List.of(), List.of(), null, 60000, 60000, "/", null, List.of(),
                List.of(), "/nonexistent", List.of("x"), null, null, null, false, true, List.of(), null, List.of(), null);
        try (RunningBox box = launcher.start(spec)) {
            LauncherReport r = box.finish();
            assertThat(r.failure()).hasValueSatisfying(f -> assertThat(f.stage()).isEqualTo(Stage.EXEC));
            assertThat(r.program()).hasValueSatisfying(u -> assertThat((u.waitStatus() >> 8) & 0xff).isEqualTo(127));
            return r;
        }
    }

    private int awaitWaiting() throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            int pid = launcher.waitingPid();
            if (pid > 0) {
                return pid;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no launcher started ahead within 10 s");
    }

    @Test
    void theFirstRunStartsNoneAheadLaterRunsUseEachWaitingLauncherOnce() throws Exception {
        run();
        Thread.sleep(100);
        assertThat(launcher.waitingPid()).as("nothing prepared after one run").isEqualTo(-1);
        run();
        int first = awaitWaiting();
        run();
        // It ran the box and was reaped; the next one waits in its place.
        assertThat(Files.exists(Path.of("/proc/" + first))).isFalse();
        assertThat(awaitWaiting()).isNotEqualTo(first);
    }

    @Test
    void aLauncherThatDiedWaitingIsReplacedByAFreshSpawn() throws Exception {
        run();
        run();
        int pid = awaitWaiting();
        Libc.kill(pid, Libc.SIGKILL); // left unreaped: the launcher finds the pipe broken and reaps it
        Thread.sleep(50);
        run();
        assertThat(Files.exists(Path.of("/proc/" + pid))).isFalse();
    }

    @Test
    void concurrentRunsEachGetALauncherOfTheirOwn() throws Exception {
        run();
        List<Thread> threads = new java.util.ArrayList<>();
        java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 8; i++) {
                        run();
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join(60_000);
            assertThat(t.isAlive()).as("a run hung").isFalse();
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void closingEndsTheWaitingLauncher() throws Exception {
        run();
        run();
        int pid = awaitWaiting();
        launcher.close();
        assertThat(Files.exists(Path.of("/proc/" + pid))).isFalse();
    }
}
