package org.miniisolate.cli.commands;

import org.miniisolate.result.Verdict;

/**
 * Exit statuses of the subcommands, for scripts. The isolate-style flags keep isolate's 0/1/2.
 *
 * <table>
 * <tr><td>0</td><td>success (the program exited with 0 within its limits; the command worked)</td></tr>
 * <tr><td>1</td><td>the program failed: runtime error, fatal signal, memory limit, compilation error; or a
 *     {@code check} item failed, or {@code status} found no usable box</td></tr>
 * <tr><td>2</td><td>time limit (CPU or wall clock)</td></tr>
 * <tr><td>3</td><td>no verdict: internal error, usage error, interrupted</td></tr>
 * </table>
 */
final class ExitCodes {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int TIME_LIMIT = 2;
    static final int ERROR = 3;

    private ExitCodes() {
    }

    /** The exit status a run with this verdict ends the command with. */
    static int of(Verdict v) {
        return switch (v) {
            case OK -> OK;
            case RUNTIME_ERROR, SIGNALED, MEMORY_LIMIT -> FAILED;
            case TIME_LIMIT, WALL_TIME_LIMIT -> TIME_LIMIT;
            case INTERRUPTED, INTERNAL_ERROR -> ERROR;
        };
    }
}
