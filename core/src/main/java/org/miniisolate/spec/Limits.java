package org.miniisolate.spec;

import java.time.Duration;

/**
 * Per-run limits, isolate's semantics and units. Zero means "no limit" everywhere except
 * {@code coreKib} (0 = no core files, isolate's default) and {@code openFiles} (0 = keep the
 * caller's limit).
 *
 * @param cpuTime         CPU time of the whole box; {@link Duration#ZERO} for none
 * @param wallTime        wall-clock time; ZERO for none
 * @param extraTime       isolate's --extra-time: an absolute ceiling, the program is killed only
 *                        once its CPU time exceeds both this and {@code cpuTime}
 * @param addressSpaceKib RLIMIT_AS per process
 * @param stackKib        RLIMIT_STACK; 0 lifts it (isolate sets it to infinity)
 * @param fileSizeKib     RLIMIT_FSIZE
 * @param coreKib         RLIMIT_CORE
 * @param openFiles       RLIMIT_NOFILE
 * @param processes       RLIMIT_NPROC for the box user: counts every process and thread
 */
public record Limits(
        Duration cpuTime,
        Duration wallTime,
        Duration extraTime,
        long addressSpaceKib,
        long stackKib,
        long fileSizeKib,
        long coreKib,
        int openFiles,
        int processes) {

    /** isolate's defaults: no time limits, 1024 open files, one process, no core files. */
    public static final Limits DEFAULTS =
            new Limits(Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, 0, 0, 0, 1024, 1);

    public Limits {
        requireNonNegative("cpu time", cpuTime);
        requireNonNegative("wall time", wallTime);
        requireNonNegative("extra time", extraTime);
        requireNonNegative("address space", addressSpaceKib);
        requireNonNegative("stack", stackKib);
        requireNonNegative("file size", fileSizeKib);
        requireNonNegative("core size", coreKib);
        requireNonNegative("open files", openFiles);
        requireNonNegative("processes", processes);
    }

    private static void requireNonNegative(String what, Duration d) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(what + " limit must be zero or positive, not " + d);
        }
    }

    private static void requireNonNegative(String what, long v) {
        if (v < 0) {
            throw new IllegalArgumentException(what + " limit must be zero or positive, not " + v);
        }
    }

    public boolean hasCpuLimit() {
        return !cpuTime.isZero();
    }

    public boolean hasWallLimit() {
        return !wallTime.isZero();
    }

    /** The CPU time at which the program is killed: max(time, extra-time), as isolate does. */
    public Duration cpuKillThreshold() {
        return cpuTime.compareTo(extraTime) >= 0 ? cpuTime : extraTime;
    }

    public Limits withCpuTime(Duration d) {
        return new Limits(d, wallTime, extraTime, addressSpaceKib, stackKib, fileSizeKib, coreKib, openFiles, processes);
    }

    public Limits withWallTime(Duration d) {
        return new Limits(cpuTime, d, extraTime, addressSpaceKib, stackKib, fileSizeKib, coreKib, openFiles, processes);
    }

    public Limits withExtraTime(Duration d) {
        return new Limits(cpuTime, wallTime, d, addressSpaceKib, stackKib, fileSizeKib, coreKib, openFiles, processes);
    }

    public Limits withAddressSpaceKib(long kib) {
        return new Limits(cpuTime, wallTime, extraTime, kib, stackKib, fileSizeKib, coreKib, openFiles, processes);
    }

    public Limits withStackKib(long kib) {
        return new Limits(cpuTime, wallTime, extraTime, addressSpaceKib, kib, fileSizeKib, coreKib, openFiles, processes);
    }

    public Limits withFileSizeKib(long kib) {
        return new Limits(cpuTime, wallTime, extraTime, addressSpaceKib, stackKib, kib, coreKib, openFiles, processes);
    }

    public Limits withCoreKib(long kib) {
        return new Limits(cpuTime, wallTime, extraTime, addressSpaceKib, stackKib, fileSizeKib, kib, openFiles, processes);
    }

    public Limits withOpenFiles(int n) {
        return new Limits(cpuTime, wallTime, extraTime, addressSpaceKib, stackKib, fileSizeKib, coreKib, n, processes);
    }

    public Limits withProcesses(int n) {
        return new Limits(cpuTime, wallTime, extraTime, addressSpaceKib, stackKib, fileSizeKib, coreKib, openFiles, n);
    }
}
