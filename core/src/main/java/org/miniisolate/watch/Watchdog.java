package org.miniisolate.watch;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.miniisolate.launch.LauncherReport;
import org.miniisolate.launch.BoxChannel;
import org.miniisolate.spec.Limits;

/**
 * Follows one run to its end and enforces its time limits by killing the box.
 *
 * <p>Checks happen as often as the remaining budget requires, not on a fixed 100 ms tick as in
 * isolate: a CPU limit cannot be crossed sooner than (remaining CPU / CPUs) of wall time, so the
 * watchdog sleeps about that long, never more than 100 ms and never less than 5 ms.
 */
public final class Watchdog {
    private static final int MAX_SLEEP_MS = 100;
    private static final int MIN_SLEEP_MS = 5;
    private static final int IDLE_SLEEP_MS = 1000;
    /** The longest sleep when a caller may ask for a stop: how late such a request may be seen. */
    private static final int STOPPABLE_SLEEP_MS = 50;
    private static final BooleanSupplier NEVER = () -> false;
    /** How long a stopped box may take to report before its keeper is killed outright. */
    private static final long STOP_GRACE_NANOS = 2_000_000_000L;

    private final BoxCpuMeter meter;
    private final int cpus = Runtime.getRuntime().availableProcessors();

    public Watchdog(BoxCpuMeter meter) {
        this.meter = meter;
    }

    public record Outcome(LauncherReport report, Optional<KillReason> killed) {}

    public Outcome watch(BoxChannel box, Limits limits) {
        return watch(box, limits, meter);
    }

    /**
     * As {@link #watch(BoxChannel, Limits)}, sampling CPU time from {@code cpu} (the box's cgroup
     * counter); null samples the process tree, as the two-argument form does.
     */
    public Outcome watch(BoxChannel box, Limits limits, CpuCounter cpu) {
        return watch(box, limits, cpu, NEVER);
    }

    /**
     * As {@link #watch(BoxChannel, Limits, CpuCounter)}, also stopping the box (as an
     * interruption) once {@code stop} turns true: another thread's kill request.
     */
    public Outcome watch(BoxChannel box, Limits limits, CpuCounter cpu, BooleanSupplier stop) {
        CpuCounter counter = cpu != null ? cpu : meter;
        int sleepCap = stop == NEVER ? IDLE_SLEEP_MS : STOPPABLE_SLEEP_MS;
        long cpuKillNanos = limits.hasCpuLimit() || !limits.extraTime().isZero() ? limits.cpuKillThreshold().toNanos() : -1;
        long wallLimitNanos = limits.hasWallLimit() ? limits.wallTime().toNanos() : -1;
        KillReason killed = null;
        long killedAt = 0;
        int sleep = IDLE_SLEEP_MS;
        while (!box.await(Math.min(sleep, sleepCap))) {
            LauncherReport r = box.report();
            if (killed == null && (Thread.currentThread().isInterrupted() || stop.getAsBoolean())) {
                killed = KillReason.INTERRUPTED;
                box.kill();
            }
            if (killed != null && killedAt == 0) {
                killedAt = System.nanoTime();
            } else if (killed != null && System.nanoTime() - killedAt > STOP_GRACE_NANOS) {
                box.killHard();
            }
            if (killed != null || r.startNanos().isEmpty() || r.program().isPresent()) {
                sleep = killed != null ? MAX_SLEEP_MS : (cpuKillNanos < 0 && wallLimitNanos < 0 ? IDLE_SLEEP_MS : MIN_SLEEP_MS);
                continue;
            }
            long next = IDLE_SLEEP_MS * 1_000_000L;
            if (wallLimitNanos >= 0) {
                long left = wallLimitNanos - (System.nanoTime() - r.startNanos().getAsLong());
                if (left < 0) {
                    killed = KillReason.WALL_TIME;
                    box.kill();
                    continue;
                }
                next = Math.min(next, left + 1_000_000L);
            }
            if (cpuKillNanos >= 0 && r.initPid().isPresent()) {
                long left = cpuKillNanos - counter.cpuNanos(r.initPid().getAsInt());
                if (left < 0) {
                    killed = KillReason.CPU_TIME;
                    box.kill();
                    continue;
                }
                next = Math.min(next, left / cpus);
            }
            sleep = (int) Math.clamp(next / 1_000_000L, MIN_SLEEP_MS, limitsSleepCap(cpuKillNanos, wallLimitNanos));
        }
        if (killed == null && stop.getAsBoolean()) {
            // The stop was carried out elsewhere (cgroup.kill) before this loop saw the request.
            killed = KillReason.INTERRUPTED;
        }
        return new Outcome(box.finish(), Optional.ofNullable(killed));
    }

    private static long limitsSleepCap(long cpuKillNanos, long wallLimitNanos) {
        return cpuKillNanos < 0 && wallLimitNanos < 0 ? IDLE_SLEEP_MS : MAX_SLEEP_MS;
    }
}
