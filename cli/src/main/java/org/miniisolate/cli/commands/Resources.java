package org.miniisolate.cli.commands;

import java.time.Duration;

/**
 * The resource settings of one run as the subcommands take them. A null field is "not given": {@link #over}
 * fills it from a lower layer (a language profile, then the command's defaults). In {@link #effective()} values,
 * zero means no limit.
 *
 * @param cpu         CPU time of the whole box ({@code --max-cpu})
 * @param wall        wall-clock time ({@code --max-time})
 * @param memoryKib   memory of the whole box ({@code --max-memory})
 * @param processes   processes and threads ({@code --max-processes})
 * @param outputKib   the most of stdout and stderr kept when they are captured ({@code --max-output})
 * @param fileSizeKib the largest file the program may write ({@code --max-file-size})
 * @param network     share the host's network ({@code --network})
 */
record Resources(Duration cpu, Duration wall, Long memoryKib, Integer processes, Long outputKib, Long fileSizeKib,
                 Boolean network) {

    /** Nothing given. */
    static final Resources NONE = new Resources(null, null, null, null, null, null, null);

    /**
     * What {@code run} uses for anything not given: no time, memory or file-size limit, 64 processes (a shell
     * pipeline works; a fork bomb does not get far), 1 MiB of captured output per stream, no network.
     */
    static final Resources RUN_DEFAULTS = new Resources(Duration.ZERO, Duration.ZERO, 0L, 64, 1024L, 0L, false);

    /** These settings where given, {@code base}'s elsewhere. */
    Resources over(Resources base) {
        return new Resources(
                cpu != null ? cpu : base.cpu,
                wall != null ? wall : base.wall,
                memoryKib != null ? memoryKib : base.memoryKib,
                processes != null ? processes : base.processes,
                outputKib != null ? outputKib : base.outputKib,
                fileSizeKib != null ? fileSizeKib : base.fileSizeKib,
                network != null ? network : base.network);
    }

    /** Every field set: these settings over {@link #RUN_DEFAULTS}. */
    Resources effective() {
        return over(RUN_DEFAULTS);
    }
}
