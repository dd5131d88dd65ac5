package org.miniisolate.cli.commands;

import java.util.concurrent.Callable;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Print the bash (and zsh) completion script of the subcommands.",
            "Load it in the current shell with `source <(mini-isolate completion)`, or install it as "
                    + "/etc/bash_completion.d/mini-isolate."},
        footer = {"", "Example:", "  mini-isolate completion > /etc/bash_completion.d/mini-isolate"})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        String script = AutoComplete.bash("mini-isolate", spec.root().commandLine());
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
