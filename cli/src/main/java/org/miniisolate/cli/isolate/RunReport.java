package org.miniisolate.cli.isolate;

import java.io.IOException;
import java.io.PrintStream;

import org.miniisolate.result.RunResult;
import org.miniisolate.result.Verdict;

/**
 * Reports a finished {@code --run} as isolate does: meta-file lines in isolate's order, the status line on stderr
 * and the exit status.
 *
 * <p>isolate writes its meta-file as things happen, so the key order tells the story and differs by outcome:
 * <ul>
 * <li>the program ended by itself: statistics, then {@code exitcode} or {@code exitsig}, then {@code status} and
 *     {@code message} if it failed; a time limit found only at the end gives statistics, {@code status:TO} and
 *     {@code message} (no exit code);
 * <li>the sandbox killed it for time: {@code status:TO}, {@code message}, {@code killed:1}, then statistics;
 * <li>the sandbox was interrupted: {@code exitsig} (the signal that interrupted it), {@code status:SG},
 *     {@code message:Interrupted}, {@code killed:1}, statistics;
 * <li>an internal error: {@code status:XX} and {@code message}, followed by {@code killed:1} and statistics only if
 *     the program had started.
 * </ul>
 */
final class RunReport {

    private final MetaFile meta;
    private final PrintStream stderr;
    private final boolean silent;

    /**
     * @param meta   where the facts go ({@link MetaFile#discarding()} without {@code -M})
     * @param stderr where the status line goes
     * @param silent {@code -s}: no status line, except for internal errors
     */
    RunReport(MetaFile meta, PrintStream stderr, boolean silent) {
        this.meta = meta;
        this.stderr = stderr;
        this.silent = silent;
    }

    /**
     * Writes the report of {@code r} and returns the exit status: 0 OK, 1 the program failed (RE, SG, TO), 2
     * internal error.
     *
     * @param interruptSignal the signal that interrupted this process during the run, or 0; it decides the outcome
     *                        whatever the box reported, as in isolate, where the keeper's interruption wins
     */
    int report(RunResult r, int interruptSignal) throws IOException {
        if (interruptSignal != 0 || r.verdict() == Verdict.INTERRUPTED) {
            return interrupted(r, interruptSignal);
        }
        switch (r.verdict()) {
            case OK, RUNTIME_ERROR, SIGNALED, MEMORY_LIMIT -> {
                // A cgroup OOM kill is not a status of isolate's: it reports how the program ended (typically
                // SIGKILL, "Caught fatal signal 9") and adds cg-oom-killed:1 to the statistics.
                return ended(r);
            }
            case TIME_LIMIT, WALL_TIME_LIMIT -> {
                if (r.killed()) {
                    killed(MetaFile.STATUS_TIMED_OUT, r.message());
                    stats(r);
                    line(r.message());
                    return IsolateExit.PROGRAM_FAILED;
                }
                stats(r);
                return failed(MetaFile.STATUS_TIMED_OUT, r.message());
            }
            case INTERNAL_ERROR -> {
                return internalError(r);
            }
            default -> {
                return otherEnd(r);
            }
        }
    }

    /** The program ended by itself: statistics, then its exit code or signal, as isolate judges them. */
    private int ended(RunResult r) throws IOException {
        stats(r);
        if (r.signal().isPresent()) {
            int sig = r.signal().getAsInt();
            meta.put(MetaFile.EXITSIG, sig);
            return failed(MetaFile.STATUS_SIGNALED, StatusLine.caughtSignal(sig));
        }
        int code = r.exitCode().orElseThrow();
        meta.put(MetaFile.EXITCODE, code);
        if (code != 0) {
            return failed(MetaFile.STATUS_RUNTIME_ERROR, StatusLine.exitedWithError(code));
        }
        line(StatusLine.ok(r.cpuTime().toMillis(), r.wallTime().toMillis()));
        return IsolateExit.OK;
    }

    /**
     * A verdict added to the core later than this class is reported as isolate reports the same run: how the
     * program ended, then the status isolate uses for that verdict.
     */
    private int otherEnd(RunResult r) throws IOException {
        if (!r.started()) {
            return internalError(r.message());
        }
        stats(r);
        if (r.signal().isPresent()) {
            meta.put(MetaFile.EXITSIG, r.signal().getAsInt());
        } else if (r.exitCode().isPresent()) {
            meta.put(MetaFile.EXITCODE, r.exitCode().getAsInt());
        }
        return failed(r.verdict().isolateStatus(), r.message());
    }

    /**
     * An internal error before any {@link RunResult} exists (bad box, bad spec, ...): only {@code status:XX} and
     * the message, which is printed even with {@code -s}.
     */
    int internalError(String message) throws IOException {
        meta.put(MetaFile.STATUS, MetaFile.STATUS_INTERNAL_ERROR);
        meta.put(MetaFile.MESSAGE, message);
        stderr.println(message);
        return IsolateExit.INTERNAL_ERROR;
    }

    private int internalError(RunResult r) throws IOException {
        if (!r.started()) {
            return internalError(r.message());
        }
        killed(MetaFile.STATUS_INTERNAL_ERROR, r.message());
        stats(r);
        stderr.println(r.message());
        return IsolateExit.INTERNAL_ERROR;
    }

    private int interrupted(RunResult r, int signal) throws IOException {
        if (signal != 0) {
            meta.put(MetaFile.EXITSIG, signal);
        }
        killed(MetaFile.STATUS_SIGNALED, StatusLine.INTERRUPTED);
        if (r.started()) {
            stats(r);
        }
        line(StatusLine.INTERRUPTED);
        return IsolateExit.PROGRAM_FAILED;
    }

    private int failed(String status, String message) throws IOException {
        meta.put(MetaFile.STATUS, status);
        meta.put(MetaFile.MESSAGE, message);
        line(message);
        return IsolateExit.PROGRAM_FAILED;
    }

    /** The head of a run the sandbox ended: isolate writes these before the statistics. */
    private void killed(String status, String message) throws IOException {
        meta.put(MetaFile.STATUS, status);
        meta.put(MetaFile.MESSAGE, message);
        meta.put(MetaFile.KILLED, 1);
    }

    private void stats(RunResult r) throws IOException {
        meta.putTime(MetaFile.TIME, r.cpuTime());
        meta.putTime(MetaFile.TIME_WALL, r.wallTime());
        meta.put(MetaFile.MAX_RSS, r.maxRssKib());
        meta.put(MetaFile.CSW_VOLUNTARY, r.voluntarySwitches());
        meta.put(MetaFile.CSW_FORCED, r.involuntarySwitches());
        // Cgroup mode only, right after the rusage figures, as isolate writes them: the peak when it is known
        // and not zero, and the OOM flag only when set.
        if (r.cgroupMemoryKib().isPresent() && r.cgroupMemoryKib().getAsLong() > 0) {
            meta.put(MetaFile.CG_MEM, r.cgroupMemoryKib().getAsLong());
        }
        if (r.oomKilled()) {
            meta.put(MetaFile.CG_OOM_KILLED, 1);
        }
    }

    private void line(String text) {
        if (!silent) {
            stderr.println(text);
        }
    }
}
