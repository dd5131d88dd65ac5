package org.miniisolate.cli.commands;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.miniisolate.SandboxException;
import org.miniisolate.config.ConfigException;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The subcommand face of {@code mini-isolate} ({@code init}, {@code run}, {@code execute}, ...), for people and
 * scripts: picocli, help on every command, shell completion, JSON results. Main only comes here when the first
 * argument is one of {@link #WORDS}, so the isolate-style face never loads picocli or Jackson.
 */
public final class Subcommands {
    /** The first words that select this face. */
    public static final List<String> WORDS =
            List.of("init", "run", "execute", "cleanup", "list", "status", "check", "completion", "help");

    private static volatile Map<String, String> environment = System.getenv();

    private Subcommands() {
    }

    /** Runs one invocation with this process's environment and streams; returns the exit status. */
    public static int run(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(args, System.getenv(), out, err);
        out.flush();
        err.flush();
        return status;
    }

    static int run(String[] args, Map<String, String> env, PrintWriter out, PrintWriter err) {
        environment = env;
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    /** The command tree with this face's error handling and exit codes. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new MiniIsolateCommand());
        // run PROGRAM ARGS: everything after the program is the program's, options included.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.setParameterExceptionHandler(Subcommands::usageError);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> failure(e, commandLine));
        cl.setExitCodeExceptionMapper(e -> ExitCodes.ERROR);
        return cl;
    }

    /** The environment of this invocation (configuration file, box root, -E VAR). */
    static Map<String, String> environment() {
        return environment;
    }

    private static int usageError(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("mini-isolate: " + e.getMessage());
        String path = cl.getCommandSpec().qualifiedName();
        err.println("Try '" + path + " --help' for more information.");
        err.flush();
        return ExitCodes.ERROR;
    }

    private static int failure(Exception e, CommandLine cl) {
        PrintWriter err = cl.getErr();
        if (e instanceof SandboxException || e instanceof IllegalArgumentException || e instanceof ConfigException
                || e instanceof UncheckedIOException || e instanceof java.io.IOException || e instanceof IllegalStateException) {
            err.println("mini-isolate: error: " + e.getMessage());
        } else {
            err.println("mini-isolate: internal error: " + e);
            e.printStackTrace(err);
        }
        err.flush();
        return ExitCodes.ERROR;
    }
}
