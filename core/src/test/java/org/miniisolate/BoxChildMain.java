package org.miniisolate;

import java.nio.file.Path;
import java.util.Arrays;
import org.miniisolate.result.RunResult;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * A minimal library user for tests that need a caller of their own (a JVM to kill, a stdout to
 * inherit): runs one command in an already initialized box with inherited standard streams and
 * no limits but the defaults (any number of processes), then reports the verdict on stderr.
 *
 * <p>Usage: BoxChildMain BOX_ROOT BOX_ID PROGRAM [ARGS...]
 */
public final class BoxChildMain {
    private BoxChildMain() {}

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: BoxChildMain BOX_ROOT BOX_ID PROGRAM [ARGS...]");
            System.exit(2);
        }
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.withBoxRoot(Path.of(args[0])))) {
            Box box = sandbox.box(Integer.parseInt(args[1]));
            RunResult r = box.run(RunSpec.of(Arrays.asList(args).subList(2, args.length))
                    .limits(Limits.DEFAULTS.withProcesses(0)).build());
            System.err.println("verdict=" + r.verdict() + " " + r.message());
        }
    }
}
