package org.miniisolate.launch;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
    private final int statusFd;
    private final int controlFd;
    private final byte[] buffer = new byte[Protocol.RECORD_BYTES * 16];
    private final ByteBuffer pending = ByteBuffer.allocate(Protocol.RECORD_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final LauncherReport boxReport = new LauncherReport();
    private LauncherReport current;
    private boolean ended;
    private boolean broken;
    private boolean reaped;

    WarmBox(int keeperPid, int statusFd, int controlFd) {
        this.keeperPid = keeperPid;
        this.statusFd = statusFd;
        this.controlFd = controlFd;
    }

    /** Waits until the keeper has cloned the box init; false if the box died while being built. */
    boolean awaitInit() {
        while (boxReport.initPid().isEmpty() && !ended) {
            pump(boxReport, 1000);
        }
        if (boxReport.failure().isPresent() || ended) {
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
        return broken || ended;
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

    /** Reads what arrived into {@code into}; false on timeout. */
    private boolean pump(LauncherReport into, int timeoutMillis) {
        if (ended || !Libc.pollReadable(statusFd, Math.max(0, timeoutMillis))) {
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
                into.accept(pending.flip());
                pending.clear();
            }
        }
        return true;
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
            if (report.program().isPresent() || report.ready() || ended) {
                return true;
            }
            pump(report, timeoutMillis);
            return report.program().isPresent() || report.ready() || ended;
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
            while (!report.ready() && !ended) {
                pump(report, 1000);
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
        while (!ended) {
            if (System.nanoTime() > deadline) {
                Libc.kill(keeperPid, Libc.SIGKILL);
                deadline = Long.MAX_VALUE;
            }
            pump(last, 100);
        }
        Libc.waitpid(keeperPid);
        reaped = true;
        Libc.close(statusFd);
    }
}
