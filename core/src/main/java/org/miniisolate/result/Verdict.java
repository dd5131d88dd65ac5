package org.miniisolate.result;

/**
 * How a run ended. Richer than isolate's status codes; {@link #isolateStatus()} gives the code
 * isolate would write ("" for success).
 */
public enum Verdict {
    /** Exited with status 0 within every limit. */
    OK(""),
    /** Exited with a non-zero status. */
    RUNTIME_ERROR("RE"),
    /** Ended by a signal it did not survive. */
    SIGNALED("SG"),
    /** Used more CPU time than allowed. */
    TIME_LIMIT("TO"),
    /** Ran longer than the wall-clock limit. */
    WALL_TIME_LIMIT("TO"),
    /**
     * The kernel's OOM killer ended a process of the box because the box's cgroup memory limit
     * was reached (cgroup mode only). isolate reports it as SG with signal 9 plus
     * {@code cg-oom-killed:1}; {@link RunResult#exitCode()} and {@link RunResult#signal()} still
     * say how the program itself ended.
     */
    MEMORY_LIMIT("SG"),
    /** Killed because the caller asked (interrupt, close). */
    INTERRUPTED("SG"),
    /** The sandbox itself failed; the program may not have run at all. */
    INTERNAL_ERROR("XX");

    private final String isolateStatus;

    Verdict(String isolateStatus) {
        this.isolateStatus = isolateStatus;
    }

    public String isolateStatus() {
        return isolateStatus;
    }
}
