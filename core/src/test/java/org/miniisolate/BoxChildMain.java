package org.miniisolate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.miniisolate.result.RunResult;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * A minimal library user for tests that need a caller of their own (a JVM to kill, a stdout to
 * inherit): runs one test program in a box with inherited standard streams and no limits but the
 * defaults (any number of processes), then reports the verdict on stderr.
 *
 * <p>Usage: BoxChildMain BOX_ROOT BOX_ID KIND PROGRAM_FILE [ARGS...]: the program file is copied
 * into the box (a fresh one, or one leased from a one-box pool this JVM opens) and run from there.
 */
public final class BoxChildMain {
    private BoxChildMain() {}

    public static void main(String[] args) {
        if (args.length < 4) {
            System.err.println("usage: BoxChildMain BOX_ROOT BOX_ID FRESH|POOLED PROGRAM_FILE [ARGS...]");
            System.exit(2);
        }
        int id = Integer.parseInt(args[1]);
        Path program = Path.of(args[3]);
        List<String> command = new java.util.ArrayList<>(List.of("./" + program.getFileName()));
        command.addAll(Arrays.asList(args).subList(4, args.length));
        RunSpec spec = RunSpec.of(command).limits(Limits.DEFAULTS.withProcesses(0)).build();
        try (Sandbox sandbox = Sandbox.open(SandboxConfig.withBoxRoot(Path.of(args[0])))) {
            RunResult r;
            if (BoxKind.valueOf(args[2]) == BoxKind.POOLED) {
                try (BoxPool pool = BoxPool.open(sandbox, BoxPool.Template.DEFAULT, List.of(id)); PooledBox box = pool.lease()) {
                    r = install(program, box).run(spec);
                }
            } else {
                Box box = sandbox.box(id);
                box.init();
                r = install(program, box).run(spec);
            }
            System.err.println("verdict=" + r.verdict() + " " + r.message());
        }
    }

    private static ProgramBox install(Path program, ProgramBox box) {
        try {
            Files.copy(program, box.workDirectory().resolve(program.getFileName()));
            return box;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
