package org.miniisolate.launch;

import org.miniisolate.nativeio.Libc;

/**
 * A box that stays up between runs: its namespaces, root and mounts are built once by a
 * long-lived box init, and each run is one fork+exec inside it (the go-sandbox design). After a
 * run the init has killed and reaped everything, remounted the box's own tmpfs mounts empty and
 * given every run a fresh IPC namespace; the caller wipes the host-side directories.
 *
 * <p>Runs are strictly one at a time. A box whose launcher died, or that misbehaved, is
 * {@link #broken()} and must be closed, never reused.
 */
public final class WarmBox implements AutoCloseable {
    private final int keeperPid;
    private final StatusReader status;
    private final int controlFd;
    private final LauncherReport boxReport = new LauncherReport();
    private LauncherReport current;
    private boolean broken;
    private boolean reaped;

    WarmBox(int keeperPid, int statusFd, int controlFd) {
        this.keeperPid = keeperPid;
        this.status = new StatusReader(statusFd);
        this.controlFd = controlFd;
    }

    /** Waits until the keeper has cloned the box init; false if the box died while being built. */
    boolean awaitInit() {
        while (boxReport.initPid().isEmpty() && !status.ended()) {
            status.pump(boxReport, 1000);
        }
        if (boxReport.failure().isPresent() || status.ended()) {
            broken = true;
        }
        return !broken;
    }

    /** Host pid of the warm box's PID 1. */
    public int initPid() {
        return boxReport.initPid().orElse(-1);
    }

    /** True once the box cannot take another run. */
    public boolean broken() {
        return broken || status.ended();
    }

    /** Starts one run (the spec's mounts, ids and namespaces are the box's; only the program part is used). */
    public Run start(LaunchSpec spec) {
        if (broken()) {
            throw new IllegalStateException("this warm box is broken and must be replaced");
        }
        if (current != null && !current.ready()) {
            throw new IllegalStateException("a warm box takes one run at a time");
        }
        current = new LauncherReport();
        current.initPid(initPid());
        try {
            Libc.writeFully(controlFd, SpecEncoder.encodeRun(spec));
        } catch (RuntimeException e) {
            broken = true;
            throw e;
        }
        return new Run(current);
    }

    /** One run in the warm box, as the watchdog follows it. */
    public final class Run implements BoxChannel {
        private final LauncherReport report;

        private Run(LauncherReport report) {
            this.report = report;
        }

        @Override
        public LauncherReport report() {
            return report;
        }

        /** Over once the program's end is reported, or the box died. */
        @Override
        public boolean await(int timeoutMillis) {
            if (report.program().isPresent() || report.ready() || status.ended()) {
                return true;
            }
            status.pump(report, timeoutMillis);
            return report.program().isPresent() || report.ready() || status.ended();
        }

        @Override
        public void kill() {
            if (!reaped) {
                Libc.kill(keeperPid, Libc.SIGUSR1);
            }
        }

        @Override
        public void killHard() {
            broken = true;
            if (!reaped) {
                Libc.kill(keeperPid, Libc.SIGKILL);
            }
        }

        /**
         * Waits for the end of the run and for the box to be clean again. A run that ended
         * without a report, or a box that did not come back ready, leaves the box broken.
         */
        @Override
        public LauncherReport finish() {
            while (!report.ready() && !status.ended()) {
                status.pump(report, 1000);
            }
            if (!report.ready() || report.program().isEmpty() && report.failure().isEmpty()) {
                broken = true;
            }
            return report;
        }
    }

    /** Retires the box: end of file on the control pipe, then the launcher is reaped. */
    @Override
    public void close() {
        if (reaped) {
            return;
        }
        Libc.close(controlFd);
        LauncherReport last = new LauncherReport();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!status.ended()) {
            if (System.nanoTime() > deadline) {
                Libc.kill(keeperPid, Libc.SIGKILL);
                deadline = Long.MAX_VALUE;
            }
            status.pump(last, 100);
        }
        Libc.waitpid(keeperPid);
        reaped = true;
        status.close();
    }
}
