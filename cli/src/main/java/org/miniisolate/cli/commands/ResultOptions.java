package org.miniisolate.cli.commands;

import picocli.CommandLine.Option;

/** How a run's result is shown. */
final class ResultOptions {
    @Option(names = "--json", order = 30,
            description = "Print the result as one JSON document on stdout instead of the summary on stderr.")
    boolean json;

    @Option(names = "--capture", order = 31,
            description = "Keep the program's stdout and stderr (in files in the box) and put them in the result, "
                    + "up to --max-output each, instead of passing them through.")
    boolean capture;
}
