package org.miniisolate.cli.isolate;

/**
 * The help text shown after an option-scanner error (including {@code --help}, which, as in isolate, is not an
 * option but still gets you the usage), and the hint shown after other usage errors.
 */
public final class UsageText {

    private static final String BODY = """
            Runs programs in a sandbox; command-line compatible with isolate.

            Commands (give exactly one):
                  --init                 Create the sandbox (or reset it) and print its directory
                  --run -- PROG [ARGS]   Run PROG with ARGS inside an initialized sandbox
                  --cleanup              Remove the sandbox and everything in it
                  --check-config         Check the configuration file, then exit (-vv: print it)
                  --print-cg-root        Print the control-group directories boxes are created under
                  --version              Print version information

            Choosing the sandbox:
              -b, --box-id=ID            Use sandbox number ID (default: 0)
                  --wait                 If the sandbox is busy, wait for it instead of failing
                  --as-uid=UID           (root only) Act for this user; requires --as-gid
                  --as-gid=GID           (root only) Act for this group; requires --as-uid
                  --config=FILE          Read the configuration from FILE (default: $MINI_ISOLATE_CONFIG,
                                         else /etc/mini-isolate.conf)

            Limits (KB means units of 1024 bytes):
              -t, --time=SEC             CPU time limit in seconds, fractions allowed (0: none)
              -w, --wall-time=SEC        Wall-clock time limit in seconds (0: none)
              -x, --extra-time=SEC       Kill only once CPU time exceeds SEC too; exceeding -t is still
                                         reported as a time-out
              -m, --mem=KB               Address-space limit per process (0: none)
              -k, --stack=KB             Stack size limit (default: unlimited)
              -f, --fsize=KB             Largest file the program may write (0: none)
                  --core=KB              Largest core dump (default: 0, no core dumps)
              -n, --open-files=N         Open file limit (0: keep the caller's limit)
              -p, --processes[=N]        Allow up to N processes and threads (default: 1);
                                         without N or with 0: no limit
              -q, --quota=BLK,INO        Disk quota (KB blocks, inodes; 0 blocks: none), set up by --init

            Control groups:
                  --cg                   Use a control group for the sandbox; give it to every command
                  --cg-mem=KB            Memory limit for all processes together (needs --cg)
                  --cg-timing            Accepted for compatibility with isolate 1.x; no effect
                  --no-cg-timing         Accepted for compatibility with isolate 1.x; no effect

            Standard streams and reporting:
              -i, --stdin=FILE           Take standard input from FILE (a path inside the sandbox)
              -o, --stdout=FILE          Send standard output to FILE (inside the sandbox)
              -r, --stderr=FILE          Send standard error to FILE (inside the sandbox)
                  --stderr-to-stdout     Send standard error wherever standard output goes
              -M, --meta=FILE            Write run results as key:value lines to FILE ('-': stdout)
                  --inherit-fds          Pass all open file descriptors on, not only 0, 1 and 2
                  --tty-hack             Not supported: a sandboxed program never gets the terminal
              -s, --silent               Do not print the status line (errors are still shown)
              -v, --verbose              Say more; repeat for even more detail

            Inside the sandbox:
              -d, --dir=RULE             Directory rule: IN=OUT[:OPTIONS], DIR[:OPTIONS] or IN= (remove);
                                         OPTIONS: rw, noexec, dev, maybe, norec, fs, tmp
              -D, --no-default-dirs      Start without the standard directory rules
              -E, --env=VAR              Copy VAR from this environment
              -E, --env=VAR=VALUE        Set VAR to VALUE (VAR= removes it)
              -e, --full-env             Start from this whole environment instead of an empty one
              -c, --chdir=DIR            Start the program in DIR (relative paths are under /box)
                  --share-net            Keep the host network (default: only a private loopback)
                  --special-files        Keep symlinks, pipes, sockets and devices the program creates
                  --syscalls=FLAGS       Which system-call restrictions to apply (overrides the config)

            Put the program after '--': options after PROG are otherwise still read as options.
            Exit status: 0 success, 1 the program failed or hit a limit, 2 sandbox or usage error.
            """;

    private UsageText() {
    }

    /** The full usage text, ending with a newline; meant for standard output. */
    public static String text(String programName) {
        return "Usage: " + programName + " [OPTIONS] COMMAND\n\n" + BODY;
    }

    /** The line shown (on stderr) after a usage error that does not print the whole text. */
    public static String hint(String programName) {
        return "Try '" + programName + " --help' for more information.";
    }
}
