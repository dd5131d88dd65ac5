package org.miniisolate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.miniisolate.result.RunResult;
import org.miniisolate.spec.Io;
import org.miniisolate.spec.Limits;
import org.miniisolate.spec.RunSpec;

/**
 * One run with the program's stdout and stderr sent to files in the box, read back (and removed)
 * after the run: what the program observed is what the assertions read.
 */
public record Captured(RunResult result, String out, String err) {
    private static final String OUT = ".captured-stdout";
    private static final String ERR = ".captured-stderr";

    public static Captured run(ProgramBox box, String... command) {
        return run(box, RunSpec.of(command));
    }

    public static Captured run(ProgramBox box, Limits limits, String... command) {
        return run(box, RunSpec.of(command).limits(limits));
    }

    /** Runs {@code spec} with its standard output and error captured (any io set on it is replaced). */
    public static Captured run(ProgramBox box, RunSpec.Builder spec) {
        return run(box, spec, null);
    }

    /** As {@link #run(ProgramBox, RunSpec.Builder)}, followed by {@code control} (null for none). */
    public static Captured run(ProgramBox box, RunSpec.Builder spec, RunControl control) {
        RunResult r = box.run(spec.io(new Io(null, OUT, ERR, false)).build(), control);
        return new Captured(r, take(box.workDirectory().resolve(OUT)), take(box.workDirectory().resolve(ERR)));
    }

    public List<String> outLines() {
        return out.lines().toList();
    }

    private static String take(Path p) {
        try {
            if (!Files.exists(p)) {
                return "";
            }
            String s = Files.readString(p);
            Files.delete(p);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return result + "\nstdout: " + out + "\nstderr: " + err;
    }
}
