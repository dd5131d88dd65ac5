package org.miniisolate.cli.isolate;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.miniisolate.Box;
import org.miniisolate.Sandbox;
import org.miniisolate.config.ConfigValues;
import org.miniisolate.result.RunResult;
import org.miniisolate.seccomp.SeccompSupport;
import org.miniisolate.spec.DirRule;
import org.miniisolate.spec.RunSpec;

/** {@code --run}: one program in an initialized box, reported as isolate reports it. */
final class RunCommand {

    private RunCommand() {
    }

    /**
     * Runs the program of {@code o} in {@code box} and returns the exit status.
     *
     * @param err where a warning goes when the program must run without its system call filter
     * @throws IllegalArgumentException if the core rejects the run's values
     * @throws org.miniisolate.SandboxException if the box cannot be used (e.g. it was never initialized)
     */
    static int run(Sandbox sandbox, Box box, IsolateOptions o, List<DirRule> dirs, Map<String, String> env,
            ConfigValues config, RunReport report, PrintStream err) throws IOException {
        RunSpec spec = IsolateRunSpec.build(o, dirs, env, config);
        warnIfUnfiltered(sandbox, spec, err);
        // Armed only around the run itself: before it nothing needs stopping, and the JVM's default (exit at
        // once) is the right reaction.
        InterruptSignals signals = InterruptSignals.install(Thread.currentThread());
        RunResult result;
        try {
            result = box.run(spec);
        } finally {
            signals.disarm();
        }
        return report.report(result, signals.received());
    }

    /**
     * Without libseccomp the core runs the program unfiltered; the judge must hear it (on stderr, even with
     * {@code -s}, as isolate prints its warnings). Asking costs nothing extra for the default policy: the check
     * compiles it, and the run then takes the compiled filter from the cache.
     */
    private static void warnIfUnfiltered(Sandbox sandbox, RunSpec spec, PrintStream err) {
        if (spec.syscalls().installsFilter() && sandbox.seccompSupport() instanceof SeccompSupport.Unavailable u) {
            // Worded like the cgroup warnings, so that one pattern finds every degradation in a judge's log.
            err.println("mini-isolate: warning: programs run WITHOUT a system call filter: " + u.reason());
        }
    }
}
