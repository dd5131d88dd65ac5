package org.miniisolate.cli.commands;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.miniisolate.result.RunResult;

/**
 * The JSON form of one run ({@code run --json}, and each step of {@code execute --json}). The field names and their
 * order are a stable interface (a golden test holds them); every field is always present, null when it does not
 * apply.
 *
 * @param verdict        OK, RUNTIME_ERROR, SIGNALED, TIME_LIMIT, WALL_TIME_LIMIT, MEMORY_LIMIT, INTERRUPTED, INTERNAL_ERROR
 * @param exitCode       the program's exit status, when it exited by itself within the time limits
 * @param signal         the signal that ended it, when one did
 * @param memoryKib      peak memory: the box cgroup's peak when measured, else the largest process's max RSS
 * @param memorySource   "cgroup" or "max-rss": where {@code memoryKib} comes from
 * @param cgroupMemoryKib the box cgroup's peak, when the run had one with memory accounting
 * @param oomKilled      the kernel's OOM killer ended a process of the box (memory limit)
 * @param killed         mini-isolate killed the program (time limit, interruption, internal error)
 * @param started        the program was started (false: the statistics mean nothing)
 * @param message        one line for people; empty for OK
 * @param stdout         the captured standard output, null unless captured
 * @param stderr         the captured standard error, null unless captured
 */
@JsonPropertyOrder({"box", "command", "verdict", "exitCode", "signal", "cpuTimeMs", "wallTimeMs", "memoryKib",
        "memorySource", "maxRssKib", "cgroupMemoryKib", "oomKilled", "killed", "started", "message",
        "voluntaryContextSwitches", "involuntaryContextSwitches", "limits", "stdout", "stderr"})
record RunJson(int box, List<String> command, String verdict, Integer exitCode, Integer signal, long cpuTimeMs,
               long wallTimeMs, long memoryKib, String memorySource, long maxRssKib, Long cgroupMemoryKib,
               boolean oomKilled, boolean killed, boolean started, String message, long voluntaryContextSwitches,
               long involuntaryContextSwitches, LimitsJson limits, StreamJson stdout, StreamJson stderr) {

    /**
     * The limits the run had (0 = none).
     *
     * @param memoryEnforcement "cgroup", "address-space" or "none"
     */
    @JsonPropertyOrder({"cpuTimeMs", "wallTimeMs", "memoryKib", "memoryEnforcement", "processes", "fileSizeKib",
            "outputKib", "network"})
    record LimitsJson(long cpuTimeMs, long wallTimeMs, long memoryKib, String memoryEnforcement, int processes,
                      long fileSizeKib, long outputKib, boolean network) {
    }

    /**
     * One captured stream.
     *
     * @param text      what was kept, as UTF-8
     * @param bytes     how many bytes were kept
     * @param truncated the program wrote more than {@code --max-output}
     */
    @JsonPropertyOrder({"text", "bytes", "truncated"})
    record StreamJson(String text, long bytes, boolean truncated) {
        static StreamJson of(Capture.Output o) {
            return o == null ? null : new StreamJson(o.text(), o.bytes(), o.truncated());
        }
    }

    /**
     * The JSON of {@code r}, run in box {@code box} with effective settings {@code limits}; the file-size limit
     * shown is the one the run had ({@code fileSizeKib}: with capture, at most {@code outputKib}).
     */
    static RunJson of(int box, List<String> command, RunResult r, Resources limits, RunPlan plan,
                      Capture.Output stdout, Capture.Output stderr) {
        RunPlan.Memory memory = plan.memory();
        long fileSizeKib = plan.spec().limits().fileSizeKib();
        boolean cgroupPeak = r.cgroupMemoryKib().isPresent();
        return new RunJson(box, command, r.verdict().name(),
                r.exitCode().isPresent() ? r.exitCode().getAsInt() : null,
                r.signal().isPresent() ? r.signal().getAsInt() : null,
                r.cpuTime().toMillis(), r.wallTime().toMillis(),
                cgroupPeak ? r.cgroupMemoryKib().getAsLong() : r.maxRssKib(), cgroupPeak ? "cgroup" : "max-rss",
                r.maxRssKib(), cgroupPeak ? r.cgroupMemoryKib().getAsLong() : null, r.oomKilled(), r.killed(),
                r.started(), r.message(), r.voluntarySwitches(), r.involuntarySwitches(),
                new LimitsJson(limits.cpu().toMillis(), limits.wall().toMillis(), limits.memoryKib(), memory.label(),
                        limits.processes(), fileSizeKib, limits.outputKib(), limits.network()),
                StreamJson.of(stdout), StreamJson.of(stderr));
    }
}
