package org.miniisolate.launch;

import org.miniisolate.nativeio.Libc;

/**
 * A launched box: the keeper process (a direct child of this JVM, so its pid cannot be reused
 * until we reap it) and the read end of the status pipe. Not thread-safe: one watchdog drives it.
 */
public final class RunningBox implements BoxChannel, AutoCloseable {
    private final int keeperPid;
    private final StatusReader status;
    private final LauncherReport report = new LauncherReport();
    private boolean reaped;

    RunningBox(int keeperPid, int statusFd) {
        this.keeperPid = keeperPid;
        this.status = new StatusReader(statusFd);
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
        status.pump(report, timeoutMillis);
        return status.ended();
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
                if (!status.ended()) {
                    kill();
                }
                finish();
            }
        } finally {
            status.close();
        }
    }
}
