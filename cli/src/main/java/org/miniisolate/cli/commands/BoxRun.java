package org.miniisolate.cli.commands;

import java.io.IOException;
import java.nio.file.Path;

import org.miniisolate.Box;
import org.miniisolate.RunControl;
import org.miniisolate.result.RunResult;

/**
 * One run of a {@link RunPlan} in a box: stop signals armed around it, captured streams read back after it.
 *
 * @param result the run's result
 * @param stdout captured stdout, or null
 * @param stderr captured stderr, or null
 */
record BoxRun(RunResult result, Capture.Output stdout, Capture.Output stderr) {
    private static final int SIGXFSZ = 25;

    /**
     * Runs {@code plan}; when {@code io} names capture files, reads them (at most {@code capKib} each).
     *
     * @param stdoutFile capture file of stdout inside /box, or null
     * @param stderrFile capture file of stderr inside /box, or null
     */
    static BoxRun run(Box box, RunPlan plan, String stdoutFile, String stderrFile, long capKib) throws IOException {
        Path work = box.workDirectory();
        if (stdoutFile != null) {
            Capture.clear(work, stdoutFile);
        }
        if (stderrFile != null) {
            Capture.clear(work, stderrFile);
        }
        RunControl control = new RunControl();
        RunResult r;
        StopSignals signals = StopSignals.install(control);
        try {
            r = box.run(plan.spec(), control);
        } finally {
            signals.close();
        }
        boolean bySize = r.signal().isPresent() && r.signal().getAsInt() == SIGXFSZ;
        Capture.Output out = stdoutFile == null ? null : Capture.collect(work.resolve(stdoutFile), capKib, bySize);
        Capture.Output err = stderrFile == null ? null : Capture.collect(work.resolve(stderrFile), capKib, bySize);
        return new BoxRun(r, out, err);
    }
}
