package org.miniisolate.watch;

/**
 * CPU time of a running box so far, as the watchdog samples it: the box's cgroup counter in
 * cgroup mode, else {@link BoxCpuMeter}'s walk of the process tree.
 */
@FunctionalInterface
public interface CpuCounter {
    /** Nanoseconds of CPU used by everything in the box whose PID 1 is {@code initPid}. */
    long cpuNanos(int initPid);
}
