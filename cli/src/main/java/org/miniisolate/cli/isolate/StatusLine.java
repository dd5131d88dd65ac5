package org.miniisolate.cli.isolate;

/**
 * The one-line verdicts isolate prints on stderr after {@code --run} (unless {@code -s}); the non-OK ones are also
 * the meta-file's {@code message} values. Callers parse these lines, so the wording is isolate's, exactly.
 * The strings carry no trailing newline.
 */
public final class StatusLine {

    public static final String TIME_LIMIT_EXCEEDED = "Time limit exceeded";
    public static final String WALL_TIME_LIMIT_EXCEEDED = "Time limit exceeded (wall clock)";
    public static final String INTERRUPTED = "Interrupted";

    private StatusLine() {
    }

    /** {@code OK (C.CCC sec real, W.WWW sec wall)}; "real" is isolate's name for the CPU time. */
    public static String ok(long cpuMillis, long wallMillis) {
        // Built by hand rather than with + so the success path does not bootstrap string concatenation.
        return new StringBuilder(48)
                .append("OK (").append(MetaFile.formatSeconds(cpuMillis))
                .append(" sec real, ").append(MetaFile.formatSeconds(wallMillis))
                .append(" sec wall)")
                .toString();
    }

    /** The program exited by itself with a non-zero status. */
    public static String exitedWithError(int exitStatus) {
        return "Exited with error status ".concat(Integer.toString(exitStatus));
    }

    /** The program was terminated by a signal. */
    public static String caughtSignal(int signal) {
        return "Caught fatal signal ".concat(Integer.toString(signal));
    }
}
