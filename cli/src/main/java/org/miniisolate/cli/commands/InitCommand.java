package org.miniisolate.cli.commands;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.miniisolate.InitOptions;
import org.miniisolate.fs.Quota;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "init", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Create box N, or empty it if it exists, and print its directory.",
            "Put the program's files into its box/ subdirectory. The box is made for cgroup mode: --max-memory of "
                    + "run and execute then limits the whole box."},
        footer = {"", "Example:", "  mini-isolate init --box-id 3"})
final class InitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BoxOptions box;

    @Override
    public Integer call() {
        try (Installation inst = Installation.open(Subcommands.environment(), spec.commandLine().getErr())) {
            Path dir = inst.box(box).init(new InitOptions(true, Quota.NONE));
            spec.commandLine().getOut().println(dir);
            return ExitCodes.OK;
        }
    }
}
