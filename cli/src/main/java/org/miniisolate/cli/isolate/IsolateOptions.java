package org.miniisolate.cli.isolate;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Everything an isolate-style command line said, syntactically validated but not yet interpreted.
 *
 * <p>Nullable components mean "not given on the command line"; applying isolate's defaults (which partly come
 * from the configuration) is the caller's job. isolate's meaning of the values, for reference:
 *
 * @param command                the one command
 * @param boxId                  {@code -b}, default 0; not yet checked against the configured number of boxes
 * @param waitForLock            {@code --wait}: block on a busy box instead of failing
 * @param asUid                  {@code --as-uid}; given together with {@link #asGid()} or not at all
 * @param asGid                  {@code --as-gid}
 * @param cpuTime                {@code -t}, whole milliseconds; {@link Duration#ZERO} means no limit
 * @param wallTime               {@code -w}; {@link Duration#ZERO} means no limit
 * @param extraTime              {@code -x}; an absolute CPU ceiling (kill at max(t, x)), not an addition
 * @param memKib                 {@code -m}, address-space limit in KiB; 0 means unlimited
 * @param stackKib               {@code -k}, KiB; absent or 0 means unlimited
 * @param fsizeKib               {@code -f}, KiB; 0 means unlimited
 * @param coreKib                {@code --core}, KiB; isolate's default is 0 (no core files)
 * @param openFiles              {@code -n}; isolate's default is 1024 (64 before 2.6+); 0 means inherit
 * @param processes              {@code -p}: default {@code OptionalInt.of(1)}; empty means no limit
 *                               ({@code -p} without value or {@code -p0})
 * @param quota                  {@code -q BLOCKS,INODES}; meaningful for {@code --init}
 * @param cg                     {@code --cg} as given ({@code --print-cg-root} implies it in isolate)
 * @param cgMemKib               {@code --cg-mem}; only accepted together with {@code --cg}
 * @param cgTiming               {@code --cg-timing} (true) / {@code --no-cg-timing} (false), last wins; isolate 1.x
 *                               options that are accepted only for compatibility and have no effect
 * @param stdin                  {@code -i}, a path inside the box
 * @param stdout                 {@code -o}, a path inside the box
 * @param stderr                 {@code -r}, a path inside the box; {@code null} whenever {@link #stderrToStdout()}
 * @param stderrToStdout         {@code --stderr-to-stdout}; whichever of it and {@code -r} came last wins
 * @param metaPath               {@code -M}, relative to the caller's working directory; {@code "-"} means stdout
 * @param inheritFds             {@code --inherit-fds}
 * @param ttyHack                {@code --tty-hack}
 * @param silent                 number of {@code -s}
 * @param verbose                number of {@code -v}
 * @param dirRules               raw {@code -d} values in command-line order (syntax not yet checked)
 * @param noDefaultDirs          {@code -D}
 * @param envRules               raw {@code -E} values in order; each has a non-empty variable name
 * @param fullEnv                {@code -e}; applies before all {@code -E} rules wherever it appears
 * @param chdir                  {@code -c}; relative paths are relative to {@code /box}
 * @param shareNet               {@code --share-net}
 * @param specialFiles           {@code --special-files}
 * @param syscallFlags           {@code --syscalls}, overrides the configured seccomp flags
 * @param configPath             {@code --config=FILE} (mini-isolate only): use this configuration file
 * @param programAndArgs         positionals: for {@code --run} the program and its arguments, else empty
 * @param programAfterDoubleDash whether the program came after a literal {@code --}, i.e. none of its arguments
 *                               could have been taken for options
 */
public record IsolateOptions(
        Command command,
        int boxId,
        boolean waitForLock,
        Integer asUid,
        Integer asGid,
        Duration cpuTime,
        Duration wallTime,
        Duration extraTime,
        Integer memKib,
        Integer stackKib,
        Integer fsizeKib,
        Integer coreKib,
        Integer openFiles,
        OptionalInt processes,
        Quota quota,
        boolean cg,
        Integer cgMemKib,
        Boolean cgTiming,
        String stdin,
        String stdout,
        String stderr,
        boolean stderrToStdout,
        String metaPath,
        boolean inheritFds,
        boolean ttyHack,
        int silent,
        int verbose,
        List<String> dirRules,
        boolean noDefaultDirs,
        List<String> envRules,
        boolean fullEnv,
        String chdir,
        boolean shareNet,
        boolean specialFiles,
        Integer syscallFlags,
        String configPath,
        List<String> programAndArgs,
        boolean programAfterDoubleDash) {

    /** The value of {@code -M} that means "write the meta-file to standard output". */
    public static final String META_STDOUT = "-";

    /** The isolate commands; exactly one is given per invocation. */
    public enum Command {
        INIT("--init"),
        RUN("--run"),
        CLEANUP("--cleanup"),
        VERSION("--version"),
        CHECK_CONFIG("--check-config"),
        PRINT_CG_ROOT("--print-cg-root");

        private final String optionName;

        Command(String optionName) {
            this.optionName = optionName;
        }

        /** The option that selects this command, for messages. */
        public String optionName() {
            return optionName;
        }
    }

    /** A disk quota for the box user: 1 KiB blocks and inodes. */
    public record Quota(int blocks, int inodes) {
    }

    public IsolateOptions {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(processes, "processes");
        dirRules = List.copyOf(dirRules);
        envRules = List.copyOf(envRules);
        programAndArgs = List.copyOf(programAndArgs);
    }

    /** Whether {@code -M -} asked for the meta-file on standard output. */
    public boolean metaToStdout() {
        return META_STDOUT.equals(metaPath);
    }
}
