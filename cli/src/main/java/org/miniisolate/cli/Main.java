package org.miniisolate.cli;

import org.miniisolate.cli.commands.Subcommands;
import org.miniisolate.cli.isolate.IsolateMain;

/**
 * The one entry point of {@code mini-isolate}: decides which face of the command line handles the invocation.
 *
 * <p>A first argument that is one of the subcommand words ({@code init}, {@code run}, {@code execute}, ...) goes to
 * the subcommand face (picocli, JSON); anything else, options included ({@code --help} too, which isolate does not
 * know), to the isolate-compatible face. That face runs once per judged program, so this class must not load
 * anything it does not need: it only compares the first argument with constant words here, and the subcommand
 * classes are loaded only when that branch runs. For isolate a leading bare word could only be a program name placed
 * before {@code --run} without {@code --}, which no caller writes.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && isSubcommand(args[0])) {
            System.exit(Subcommands.run(args));
        }
        int status = IsolateMain.run(args);
        // Not System.exit on the isolate path: Runtime.exit logs the exit through System.Logger, whose first use starts
        // the JDK's logging backend, 17-28 ms of every judged run (measured with hyperfine, 40 runs each). That face
        // registers no shutdown hooks or deleteOnExit files and has closed its meta-file, so once both standard streams
        // are flushed, halting is the same exit. Anything that ever needs a shutdown hook there must bring System.exit
        // back.
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /** Runs one invocation and returns the process exit status. */
    static int run(String[] args) {
        if (args.length > 0 && isSubcommand(args[0])) {
            return Subcommands.run(args);
        }
        return IsolateMain.run(args);
    }

    /**
     * The words of the subcommand face; kept here as constants (not read from {@link Subcommands#WORDS}, which
     * would load that class and picocli's types with it on the isolate path). A unit test keeps the two equal.
     */
    static boolean isSubcommand(String word) {
        return switch (word) {
            case "init", "run", "execute", "cleanup", "list", "status", "check", "completion", "help" -> true;
            default -> false;
        };
    }
}
