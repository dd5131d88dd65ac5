package org.miniisolate;

import java.nio.file.Path;
import org.miniisolate.box.BoxIdentity;
import org.miniisolate.result.RunResult;
import org.miniisolate.spec.RunSpec;

/**
 * A box programs run in, fresh ({@link Box}: built for each run) or warm ({@link PooledBox}: built
 * once, leased from a {@link BoxPool}). Both take the same {@link RunSpec}, enforce it the same way
 * and account for it the same way; a pooled box refuses, with an exception, what it cannot honour.
 */
public interface ProgramBox {
    int id();

    /** The program's /box: put its files here. */
    Path workDirectory();

    /** The unprivileged user and group the box's programs run as. */
    BoxIdentity identity();

    /** Runs one program and waits for it; see {@link Box#run(RunSpec)}. */
    RunResult run(RunSpec spec);

    /** As {@link #run(RunSpec)}, followed from other threads through {@code control} (null for none). */
    RunResult run(RunSpec spec, RunControl control);
}
