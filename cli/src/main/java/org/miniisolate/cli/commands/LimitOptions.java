package org.miniisolate.cli.commands;

import java.time.Duration;

import picocli.CommandLine.Option;

/** The resource flags of {@code run} and {@code execute}; they apply to that one run only. */
final class LimitOptions {
    @Option(names = "--max-cpu", paramLabel = "SECONDS", converter = Quantities.Seconds.class, order = 10,
            description = "CPU time of every process of the box together (fractions allowed); over it: time limit, exit 2.")
    Duration cpu;

    @Option(names = "--max-time", paramLabel = "SECONDS", converter = Quantities.Seconds.class, order = 11,
            description = "Wall-clock time; over it: time limit, exit 2.")
    Duration wall;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = Quantities.Kib.class, order = 12,
            description = "Memory of the whole box, in MiB unless suffixed (K, M, G); a cgroup limit where the memory "
                    + "controller is available, else an address-space limit per process (with a warning). Over it: exit 1.")
    Long memoryKib;

    @Option(names = "--max-processes", paramLabel = "N", order = 13,
            description = "Processes and threads of the box at once; 0 = no limit of our own. Default: 64 for run.")
    Integer processes;

    @Option(names = "--max-output", paramLabel = "SIZE", converter = Quantities.Kib.class, order = 14,
            description = "With --capture: the most of stdout and of stderr kept (MiB unless suffixed); the program is "
                    + "stopped by the file-size limit (SIGXFSZ) when it writes more. Default: 1M.")
    Long outputKib;

    @Option(names = "--max-file-size", paramLabel = "SIZE", converter = Quantities.Kib.class, order = 15,
            description = "The largest file the program may write (MiB unless suffixed); over it: SIGXFSZ, exit 1.")
    Long fileSizeKib;

    @Option(names = "--network", order = 16, description = "Share the host's network (default: a private loopback only).")
    boolean network;

    /** The flags given, as one layer of settings. */
    Resources given() {
        if (processes != null && processes < 0) {
            throw new IllegalArgumentException("--max-processes must be 0 or more, not " + processes);
        }
        return new Resources(cpu, wall, memoryKib, processes, outputKib, fileSizeKib, network ? Boolean.TRUE : null);
    }
}
