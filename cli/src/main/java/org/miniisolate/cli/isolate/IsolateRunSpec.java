package org.miniisolate.cli.isolate;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.miniisolate.config.ConfigValues;
import org.miniisolate.seccomp.SyscallFlags;
import org.miniisolate.seccomp.SyscallPolicy;
import org.miniisolate.spec.CgroupLimits;
import org.miniisolate.spec.DirRule;
import org.miniisolate.spec.DirRules;
import org.miniisolate.spec.EnvRules;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/** Translates isolate's options into the core's {@link RunSpec}, applying isolate's defaults where none were given. */
final class IsolateRunSpec {

    private IsolateRunSpec() {
    }

    /**
     * The directory rules: the default layout (or none with {@code -D}) changed by each {@code -d} in order.
     *
     * @throws UsageException for a rule isolate would reject while parsing the command line
     */
    static List<DirRule> dirs(IsolateOptions o) throws UsageException {
        List<DirRule> base = o.noDefaultDirs() ? List.of() : DirRules.defaults();
        if (o.dirRules().isEmpty()) {
            return base;
        }
        try {
            return DirRules.apply(base, o.dirRules());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), false);
        }
    }

    /**
     * The run described by {@code o}.
     *
     * @param dirs      from {@link #dirs(IsolateOptions)}
     * @param callerEnv this process's environment: the source of {@code -e} and {@code -E VAR}, and of the
     *                  descriptors to pass on with {@code --inherit-fds}
     * @param config    the configuration file's values: per-box cpusets, default system call flags
     * @throws IllegalArgumentException if the core rejects a value (e.g. an empty redirection path)
     */
    static RunSpec build(IsolateOptions o, List<DirRule> dirs, Map<String, String> callerEnv, ConfigValues config) {
        // The wrapper script's own variable is not part of the caller's environment: keep it from -e.
        Map<String, String> env = callerEnv;
        if (callerEnv.containsKey(InheritedFds.VARIABLE)) {
            env = new HashMap<>(callerEnv);
            env.remove(InheritedFds.VARIABLE);
        }
        return RunSpec.of(o.programAndArgs())
                .limits(limits(o))
                .io(new Io(o.stdin(), o.stdout(), o.stderr(), o.stderrToStdout()))
                .environment(EnvRules.resolve(o.envRules(), o.fullEnv(), env))
                .dirs(dirs)
                .chdir(o.chdir())
                .shareNetwork(o.shareNet())
                .inheritedFds(o.inheritFds() ? InheritedFds.parse(callerEnv.get(InheritedFds.VARIABLE)) : List.of())
                .cgroups(cgroups(o, config, StrictMode.requested(callerEnv)))
                .syscalls(SyscallPolicy.isolate(syscallFlags(o, config)))
                .keepSpecialFiles(o.specialFiles())
                .build();
    }

    /**
     * Cgroup mode for {@code --cg} ({@code null} without it): the memory limit of {@code --cg-mem}, and the box's
     * {@code boxN.cpus}/{@code boxN.mems} from the configuration, which isolate applies in cgroup mode only.
     */
    static CgroupLimits cgroups(IsolateOptions o, ConfigValues config, boolean strict) {
        if (!o.cg()) {
            return null;
        }
        CgroupLimits limits = (o.cgMemKib() != null ? CgroupLimits.memory(o.cgMemKib()) : CgroupLimits.DEFAULTS).withStrict(strict);
        String cpus = config.boxCpus().get(o.boxId());
        String mems = config.boxMems().get(o.boxId());
        return cpus == null && mems == null ? limits : limits.withCpuset(cpus, mems);
    }

    /** {@code --syscalls}, else the configuration's {@code syscall_flags}, else every restriction (isolate's default). */
    static int syscallFlags(IsolateOptions o, ConfigValues config) {
        if (o.syscallFlags() != null) {
            return o.syscallFlags();
        }
        return config.syscallFlags().orElse(SyscallFlags.ALL);
    }

    /**
     * isolate's limits: times default to none; {@code -m}, {@code -k} and {@code -f} absent or 0 mean unlimited;
     * {@code --core} defaults to 0 (no core files); {@code -n} to 1024 with 0 keeping the caller's limit;
     * {@code -p} to 1 process, where an empty value means unlimited.
     */
    static Limits limits(IsolateOptions o) {
        Limits d = Limits.DEFAULTS;
        return new Limits(
                orDefault(o.cpuTime(), d.cpuTime()),
                orDefault(o.wallTime(), d.wallTime()),
                orDefault(o.extraTime(), d.extraTime()),
                orZero(o.memKib()),
                orZero(o.stackKib()),
                orZero(o.fsizeKib()),
                orZero(o.coreKib()),
                o.openFiles() != null ? o.openFiles() : d.openFiles(),
                o.processes().isPresent() ? o.processes().getAsInt() : 0);
    }

    private static Duration orDefault(Duration given, Duration fallback) {
        return given != null ? given : fallback;
    }

    private static long orZero(Integer kib) {
        return kib != null ? kib : 0;
    }
}
