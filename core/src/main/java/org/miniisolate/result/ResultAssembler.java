package org.miniisolate.result;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.miniisolate.cgroup.CgroupUsage;
import org.miniisolate.launch.LaunchSpec;
import org.miniisolate.launch.LauncherReport;
import org.miniisolate.launch.Mount;
import org.miniisolate.launch.Stage;
import org.miniisolate.nativeio.Libc;
import org.miniisolate.spec.Limits;
import org.miniisolate.watch.KillReason;

/**
 * Turns what the launcher reported, and why the watchdog killed (if it did), into a verdict,
 * following isolate's rules: a kill for time is TO; after a natural end, CPU over the limit is
 * TO, then wall over the limit is TO (wall clock), then the exit status decides. In cgroup mode
 * CPU time is the cgroup's counter, and an OOM kill turns what the exit status would say into
 * {@link Verdict#MEMORY_LIMIT} (time limits still come first, as in isolate).
 */
public final class ResultAssembler {
    private ResultAssembler() {}

    public static RunResult assemble(LaunchSpec spec, Limits limits, LauncherReport report, Optional<KillReason> killed) {
        return assemble(spec, limits, report, killed, Optional.empty());
    }

    /** @param cgroup what the box's cgroups counted, in cgroup mode */
    public static RunResult assemble(LaunchSpec spec, Limits limits, LauncherReport report, Optional<KillReason> killed,
                                     Optional<CgroupUsage> cgroup) {
        if (killed.orElse(null) == KillReason.INTERRUPTED
                && (report.startNanos().isEmpty() || report.program().or(report::keeper).isEmpty())) {
            // Stopped (at the caller's request) before the box could report a start or an end, e.g. killed
            // outright during its setup: the outcome is still the interruption, not a sandbox failure.
            return new RunResult(Verdict.INTERRUPTED, false, OptionalInt.empty(), OptionalInt.empty(),
                    Duration.ZERO, Duration.ZERO, 0, 0, 0, true, "Interrupted");
        }
        Optional<LauncherReport.Failure> failure = report.failure();
        if (failure.isPresent() && failure.get().stage() != Stage.EXEC) {
            return RunResult.internalError(describe(failure.get(), spec));
        }
        if (report.startNanos().isEmpty()) {
            return RunResult.internalError("the launcher ended before starting the program (wait status "
                    + report.keeperExitStatus() + ")");
        }
        long start = report.startNanos().getAsLong();
        Optional<LauncherReport.Usage> program = report.program();
        LauncherReport.Usage usage = program.or(report::keeper).orElse(null);
        if (usage == null) {
            return RunResult.internalError("the launcher ended without a report (wait status " + report.keeperExitStatus() + ")");
        }
        // The keeper's figures cover the box init too: take its setup work out.
        long cpuNanos = program.isPresent() ? usage.cpuNanos() : Math.max(0, usage.cpuNanos() - report.setupCpuNanos());
        // The cgroup counts every thread of every process that was in the box, and nothing of the setup.
        OptionalLong cgroupCpu = cgroup.map(CgroupUsage::cpuNanos).orElse(OptionalLong.empty());
        if (cgroupCpu.isPresent()) {
            cpuNanos = cgroupCpu.getAsLong();
        }
        Duration cpu = Duration.ofMillis(cpuNanos / 1_000_000);
        Duration wall = Duration.ofMillis(Math.max(0, usage.endNanos() - start) / 1_000_000);
        OptionalLong peak = cgroup.map(CgroupUsage::peakBytes).orElse(OptionalLong.empty());
        Stats stats = new Stats(cpu, wall, usage, peak.isPresent() ? OptionalLong.of(peak.getAsLong() / 1024) : OptionalLong.empty(),
                cgroup.map(CgroupUsage::oomKilled).orElse(false));

        if (killed.isPresent()) {
            return switch (killed.get()) {
                case CPU_TIME -> stats.result(Verdict.TIME_LIMIT, OptionalInt.empty(), OptionalInt.empty(), true, "Time limit exceeded");
                case WALL_TIME -> stats.result(Verdict.WALL_TIME_LIMIT, OptionalInt.empty(), OptionalInt.empty(), true,
                        "Time limit exceeded (wall clock)");
                case INTERRUPTED -> stats.result(Verdict.INTERRUPTED, OptionalInt.empty(), OptionalInt.empty(), true, "Interrupted");
            };
        }
        if (program.isEmpty()) {
            return stats.result(Verdict.INTERNAL_ERROR, OptionalInt.empty(), OptionalInt.empty(), true,
                    "the box ended unexpectedly (init wait status " + usage.waitStatus() + ")");
        }
        if (limits.hasCpuLimit() && cpu.compareTo(limits.cpuTime().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)) > 0) {
            return stats.result(Verdict.TIME_LIMIT, OptionalInt.empty(), OptionalInt.empty(), false, "Time limit exceeded");
        }
        if (limits.hasWallLimit() && wall.compareTo(limits.wallTime().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)) > 0) {
            return stats.result(Verdict.WALL_TIME_LIMIT, OptionalInt.empty(), OptionalInt.empty(), false,
                    "Time limit exceeded (wall clock)");
        }
        int status = usage.waitStatus();
        int signal = status & 0x7f;
        if (signal == 0) {
            int code = (status >> 8) & 0xff;
            return code == 0
                    ? stats.result(Verdict.OK, OptionalInt.of(0), OptionalInt.empty(), false, "")
                    : stats.result(Verdict.RUNTIME_ERROR, OptionalInt.of(code), OptionalInt.empty(), false,
                            "Exited with error status " + code);
        }
        return stats.result(Verdict.SIGNALED, OptionalInt.empty(), OptionalInt.of(signal), false, "Caught fatal signal " + signal);
    }

    private record Stats(Duration cpu, Duration wall, LauncherReport.Usage usage, OptionalLong cgroupMemoryKib, boolean oomKilled) {
        RunResult result(Verdict v, OptionalInt exit, OptionalInt signal, boolean killed, String message) {
            // An OOM kill decides where only the exit status would; exit code, signal and message stay
            // what isolate reports for them (typically SIGKILL: "Caught fatal signal 9").
            Verdict verdict = oomKilled && (v == Verdict.OK || v == Verdict.RUNTIME_ERROR || v == Verdict.SIGNALED)
                    ? Verdict.MEMORY_LIMIT : v;
            return new RunResult(verdict, true, exit, signal, cpu, wall, usage.maxRssKib(), usage.voluntarySwitches(),
                    usage.involuntarySwitches(), killed, message, cgroupMemoryKib, oomKilled);
        }
    }

    private static final int EINVAL = 22;

    /** A failed step as a user reads it: what was being done, on what, and the system's reason. */
    static String describe(LauncherReport.Failure f, LaunchSpec spec) {
        String reason = Libc.strerror(f.errno());
        return switch (f.stage()) {
            case MOUNT, MOUNTPOINT -> {
                Mount m = f.index() < spec.mounts().size() ? spec.mounts().get(f.index()) : null;
                String what = m == null ? "#" + f.index()
                        : switch (m.kind()) {
                            case BIND -> m.source() + " on /" + m.target();
                            case FILESYSTEM -> m.fsType() + " on /" + m.target();
                            case RESTRICT -> "/" + m.target() + " again with stricter options";
                        };
                // In a user namespace the kernel locks a tree's submounts to it: a bind without them is EINVAL.
                boolean lockedSubmounts = spec.userNamespace() && f.errno() == EINVAL && m != null
                        && m.kind() == Mount.Kind.BIND && !m.flags().contains(Mount.Flag.RECURSIVE);
                yield "Cannot mount " + what + ": " + reason + (lockedSubmounts ? " (rootless mode: a directory with"
                        + " mounts below it can only be bound with them; drop norec)" : "");
            }
            case STDIN -> "open(\"" + spec.stdin() + "\"): " + reason;
            case STDOUT -> "open(\"" + spec.stdout() + "\"): " + reason;
            case STDERR -> "open(\"" + spec.stderr() + "\"): " + reason;
            case CHDIR -> "chdir: " + reason;
            case RLIMIT -> "setrlimit(" + (f.index() < spec.rlimits().size() ? spec.rlimits().get(f.index()).resource() : "#" + f.index())
                    + "): " + reason;
            default -> f.stage().label() + ": " + reason;
        };
    }
}
