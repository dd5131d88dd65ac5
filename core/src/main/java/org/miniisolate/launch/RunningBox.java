package org.miniisolate.launch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.miniisolate.nativeio.Libc;

/**
 * A launched box: the keeper process (a direct child of this JVM, so its pid cannot be reused
 * until we reap it) and the read end of the status pipe. Not thread-safe: one watchdog drives it.
 */
public final class RunningBox implements BoxChannel, AutoCloseable {
    private final int keeperPid;
    private final int statusFd;
    private final LauncherReport report = new LauncherReport();
    private final byte[] buffer = new byte[Protocol.RECORD_BYTES * 16];
    private final ByteBuffer pending = ByteBuffer.allocate(Protocol.RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private boolean ended;
    private boolean reaped;

    RunningBox(int keeperPid, int statusFd) {
        this.keeperPid = keeperPid;
        this.statusFd = statusFd;
    }

    @Override
    public LauncherReport report() {
        return report;
    }

    /**
     * Waits up to {@code timeoutMillis} for news from the launcher and takes in what arrived.
     * Returns true once every writer has closed the status pipe: the run is over.
     */
    @Override
    public boolean await(int timeoutMillis) {
        if (ended) {
            return true;
        }
        if (!Libc.pollReadable(statusFd, Math.max(0, timeoutMillis))) {
            return false;
        }
        int n = Libc.read(statusFd, buffer);
        if (n == 0) {
            ended = true;
            return true;
        }
        for (int i = 0; i < n; i++) {
            pending.put(buffer[i]);
            if (!pending.hasRemaining()) {
                report.accept(pending.flip());
                pending.clear();
            }
        }
        return false;
    }

    /**
     * Asks the keeper to stop the box: its PID 1 kills every other process in it, reaps them
     * (so their CPU time is still counted) and reports as usual.
     */
    @Override
    public void kill() {
        if (!reaped) {
            Libc.kill(keeperPid, Libc.SIGUSR1);
        }
    }

    /** The last resort when a stop request is not answered: the keeper dies, and the box with it. */
    @Override
    public void killHard() {
        if (!reaped) {
            Libc.kill(keeperPid, Libc.SIGKILL);
        }
    }

    /** Waits for the end of the run, reaps the keeper and returns the full report. */
    @Override
    public LauncherReport finish() {
        while (!await(1000)) {
            // keep reading until every writer is gone
        }
        if (!reaped) {
            report.keeperExited(Libc.waitpid(keeperPid));
            reaped = true;
        }
        return report;
    }

    /** Never leaves a box behind: kills it if still running, then reaps and frees. */
    @Override
    public void close() {
        try {
            if (!reaped) {
                if (!ended) {
                    kill();
                }
                finish();
            }
        } finally {
            Libc.close(statusFd);
        }
    }
}
