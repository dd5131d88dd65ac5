package org.miniisolate.result;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;

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
 * @param cgroupMemoryKib peak memory of the whole box from its cgroup (isolate's cg-mem), cgroup mode only
 * @param oomKilled    the box's cgroup OOM-killed a process (isolate's cg-oom-killed), cgroup mode only
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
        String message,
        OptionalLong cgroupMemoryKib,
        boolean oomKilled) {

    public RunResult {
        Objects.requireNonNull(verdict);
        Objects.requireNonNull(exitCode);
        Objects.requireNonNull(signal);
        Objects.requireNonNull(cpuTime);
        Objects.requireNonNull(wallTime);
        Objects.requireNonNull(message);
        Objects.requireNonNull(cgroupMemoryKib);
    }

    /** A result without cgroup figures. */
    public RunResult(Verdict verdict, boolean started, OptionalInt exitCode, OptionalInt signal, Duration cpuTime,
                     Duration wallTime, long maxRssKib, long voluntarySwitches, long involuntarySwitches, boolean killed,
                     String message) {
        this(verdict, started, exitCode, signal, cpuTime, wallTime, maxRssKib, voluntarySwitches, involuntarySwitches,
                killed, message, OptionalLong.empty(), false);
    }

    /** A failure before the program ran: no statistics, just the message. */
    public static RunResult internalError(String message) {
        return new RunResult(Verdict.INTERNAL_ERROR, false, OptionalInt.empty(), OptionalInt.empty(),
                Duration.ZERO, Duration.ZERO, 0, 0, 0, false, message);
    }
}
