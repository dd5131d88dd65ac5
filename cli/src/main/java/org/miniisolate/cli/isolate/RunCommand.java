package org.miniisolate.cli.isolate;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.miniisolate.Box;
import org.miniisolate.result.RunResult;
import org.miniisolate.spec.DirRule;
import org.miniisolate.spec.RunSpec;

/** {@code --run}: one program in an initialized box, reported as isolate reports it. */
final class RunCommand {

    private RunCommand() {
    }

    /**
     * Runs the program of {@code o} in {@code box} and returns the exit status.
     *
     * @throws IllegalArgumentException if the core rejects the run's values
     * @throws org.miniisolate.SandboxException if the box cannot be used (e.g. it was never initialized)
     */
    static int run(Box box, IsolateOptions o, List<DirRule> dirs, Map<String, String> env, RunReport report)
            throws IOException {
        RunSpec spec = IsolateRunSpec.build(o, dirs, env);
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
}
