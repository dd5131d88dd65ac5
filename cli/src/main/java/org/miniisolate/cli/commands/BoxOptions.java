package org.miniisolate.cli.commands;

import picocli.CommandLine.Option;

/** Which box a command works on. */
final class BoxOptions {
    @Option(names = {"-b", "--box-id"}, paramLabel = "N", order = 1, description = "Box number (default: 0).")
    int boxId;

    @Option(names = "--wait", order = 2,
            description = "Wait while another command uses the box instead of failing at once.")
    boolean waitForLock;
}
