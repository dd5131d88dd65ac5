package org.miniisolate.cli.commands;

import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The root of the subcommand face: no action of its own. */
@Command(name = "mini-isolate", synopsisSubcommandLabel = "COMMAND",
        description = {
            "A Linux sandbox for untrusted programs, in the spirit of IOI isolate.",
            "",
            "Subcommands for people and scripts (below); isolate's own flags (--init, --run, --cleanup, ...) keep "
                    + "working on the same binary: `mini-isolate --run -- PROGRAM` is the isolate-compatible face."},
        footer = {"",
            "Exit codes of run and execute: 0 success, 1 runtime error, signal, memory limit or compilation error, "
                    + "2 time limit, 3 internal or usage error (no verdict). See docs/cli.md."},
        subcommands = {InitCommand.class, RunProgramCommand.class, ExecuteCommand.class, CleanupCommand.class,
            ListCommand.class, StatusCommand.class, CheckCommand.class, CompletionCommand.class, HelpCommand.class})
final class MiniIsolateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "a command is needed");
    }
}
