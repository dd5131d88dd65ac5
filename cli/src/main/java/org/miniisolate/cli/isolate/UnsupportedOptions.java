package org.miniisolate.cli.isolate;

/**
 * The isolate options mini-isolate parses but does not honour: only {@code --tty-hack}.
 *
 * <p>isolate's {@code --tty-hack} puts the boxed program in the terminal's foreground. mini-isolate never lets a
 * boxed program near a terminal: one that can reach it can push keystrokes into the judge's shell (TIOCSTI). Ignoring
 * the option silently would leave an interactive program waiting for input it never gets, so the command is refused
 * before anything is touched. {@code --cg-timing} and {@code --no-cg-timing} are not listed: they never had an effect
 * in isolate 2.x either, and callers written for 1.x still pass them.
 */
final class UnsupportedOptions {

    private UnsupportedOptions() {
    }

    /** The first unsupported option in {@code o}, as the user would write it, or {@code null} if there is none. */
    static String find(IsolateOptions o) {
        return o.ttyHack() ? "--tty-hack" : null;
    }

    /** The one line shown for {@code option}. */
    static String message(String option) {
        return "Option " + option + " is not supported by mini-isolate: a boxed program never gets the terminal"
                + " (it could type into the caller's shell); nothing was done";
    }
}
