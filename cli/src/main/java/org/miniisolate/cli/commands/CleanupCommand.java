package org.miniisolate.cli.commands;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "cleanup", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Remove box N and everything in it (files, cgroups, state).",
            "A box that does not exist is already clean: exit 0 either way. Also the way to clear a stale box."},
        footer = {"", "Example:", "  mini-isolate cleanup --box-id 3"})
final class CleanupCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    BoxOptions box;

    @Override
    public Integer call() {
        try (Installation inst = Installation.open(Subcommands.environment(), spec.commandLine().getErr())) {
            boolean existed = inst.box(box).cleanup();
            spec.commandLine().getErr().println(existed ? "box " + box.boxId + " removed"
                    : "box " + box.boxId + " did not exist: nothing to do");
            return ExitCodes.OK;
        }
    }
}
