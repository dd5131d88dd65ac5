package org.miniisolate.result;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The outcome of one run.
 *
 * @param started      the program was started, so the statistics below mean something
 * @param exitCode     the program's exit status, when it exited by itself and no time limit was hit
 * @param signal       the signal that ended it, when it was one (and no time limit was hit)
 * @param cpuTime      user+system time of every process of the box, without the sandbox's own setup
 * @param wallTime     from just before the program was started to its end
 * @param maxRssKib    the largest resident set of any single process of the box
 * @param killed       the sandbox killed the program (limit, interrupt, internal error)
 * @param message      one human-readable line; empty for OK
 */
public record RunResult(
        Verdict verdict,
        boolean started,
        OptionalInt exitCode,
        OptionalInt signal,
        Duration cpuTime,
        Duration wallTime,
        long maxRssKib,
        long voluntarySwitches,
        long involuntarySwitches,
        boolean killed,
        String message) {

    public RunResult {
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(exitCode);
        Objects.requireNonNull(signal);
        Objects.requireNonNull(cpuTime);
        Objects.requireNonNull(wallTime);
        Objects.requireNonNull(message);
    }

    /** A failure before the program ran: no statistics, just the message. */
    public static RunResult internalError(String message) {
        return new RunResult(Verdict.INTERNAL_ERROR, false, OptionalInt.empty(), OptionalInt.empty(),
                Duration.ZERO, Duration.ZERO, 0, 0, 0, false, message);
    }
}
