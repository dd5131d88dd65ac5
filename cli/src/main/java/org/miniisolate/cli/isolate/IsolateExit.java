package org.miniisolate.cli.isolate;

/** isolate's exit statuses; callers branch on them. */
final class IsolateExit {

    /** The command succeeded; for {@code --run}, the program exited with 0 within its limits. */
    static final int OK = 0;
    /** {@code --run} worked but the program failed: RE, SG or TO. */
    static final int PROGRAM_FAILED = 1;
    /** Internal error (XX) or usage error. */
    static final int INTERNAL_ERROR = 2;

    private IsolateExit() {
    }
}
