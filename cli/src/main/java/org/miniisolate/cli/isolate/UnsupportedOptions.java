package org.miniisolate.cli.isolate;

/**
 * The isolate options this version parses but cannot honour yet.
 *
 * <p>Silently ignoring them would be worse than refusing: a judge that asks for {@code --cg-mem} or a quota and
 * does not get it would accept programs that break its limits. So the command is refused before anything is
 * touched. {@code --cg-timing} and {@code --no-cg-timing} are not listed: they never had an effect in isolate 2.x
 * either, and callers written for 1.x still pass them.
 */
final class UnsupportedOptions {

    private UnsupportedOptions() {
    }

    /** The first unsupported option in {@code o}, as the user would write it, or {@code null} if there is none. */
    static String find(IsolateOptions o) {
        switch (o.command()) {
            case CHECK_CONFIG, PRINT_CG_ROOT -> {
                return o.command().optionName();
            }
            default -> {
            }
        }
        if (o.configPath() != null) {
            return "--config";
        }
        if (o.cg()) {
            return "--cg";
        }
        if (o.cgMemKib() != null) {
            return "--cg-mem";
        }
        if (o.quota() != null) {
            return "--quota";
        }
        if (o.asUid() != null || o.asGid() != null) {
            return "--as-uid/--as-gid";
        }
        if (o.waitForLock()) {
            return "--wait";
        }
        if (o.specialFiles()) {
            return "--special-files";
        }
        if (o.syscallFlags() != null) {
            return "--syscalls";
        }
        if (o.ttyHack()) {
            return "--tty-hack";
        }
        return null;
    }

    /** The one line shown for {@code option}. */
    static String message(String option) {
        return "Option " + option + " is not supported by mini-isolate yet; nothing was done";
    }
}
