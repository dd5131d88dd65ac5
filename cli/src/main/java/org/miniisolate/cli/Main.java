package org.miniisolate.cli;

import org.miniisolate.cli.isolate.IsolateMain;

/**
 * The one entry point of {@code mini-isolate}: decides which face of the command line handles the invocation.
 *
 * <p>The isolate-compatible face runs once per judged program, so this class must not load anything the isolate
 * path does not need (no picocli, no reflection): it only looks at the first argument.
 */
public final class Main {

    /** Exit status for usage errors, as in isolate. */
    private static final int USAGE_ERROR = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one invocation and returns the process exit status. */
    static int run(String[] args) {
        if (args.length > 0 && isSubcommand(args[0])) {
            // Seam for the subcommand face (picocli, later). For isolate a leading bare word could only be a
            // program name placed before --run without '--', which no caller writes.
            System.err.println("subcommand " + args[0]
                    + " is not available yet; use the isolate-style flags (--init, --run, --cleanup)");
            return USAGE_ERROR;
        }
        return IsolateMain.run(args);
    }

    /** The subcommands of the people-facing command line. */
    static boolean isSubcommand(String word) {
        return switch (word) {
            case "init", "run", "execute", "cleanup", "list", "check" -> true;
            default -> false;
        };
    }
}
