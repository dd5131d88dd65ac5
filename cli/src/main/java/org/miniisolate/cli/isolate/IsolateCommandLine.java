package org.miniisolate.cli.isolate;

import static org.miniisolate.cli.isolate.GetoptLong.ArgKind.NONE;
import static org.miniisolate.cli.isolate.GetoptLong.ArgKind.OPTIONAL;
import static org.miniisolate.cli.isolate.GetoptLong.ArgKind.REQUIRED;
import static org.miniisolate.cli.isolate.GetoptLong.NO_SHORT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

import org.miniisolate.cli.isolate.GetoptLong.Match;
import org.miniisolate.cli.isolate.GetoptLong.Option;
import org.miniisolate.cli.isolate.IsolateOptions.Command;
import org.miniisolate.cli.isolate.IsolateOptions.Quota;

/**
 * Turns an isolate command line into {@link IsolateOptions}, with isolate's rules and messages.
 *
 * <p>This runs on every sandbox invocation, so it avoids anything with a noticeable first-use cost in a cold JVM
 * (regular expressions, reflection, lambdas, {@code String.format}) on the success path.
 */
public final class IsolateCommandLine {

    /** The program name used in option-scanner messages. */
    public static final String PROGRAM_NAME = "mini-isolate";

    static final String NO_COMMAND = "Please specify an isolate command (e.g. --init, --run).";
    static final String ONE_COMMAND = "Only one command is allowed.";
    static final String CG_REQUIRED = "Options related to control groups require --cg to be set.";
    static final String UID_GID_PAIR = "--as-uid and --as-gid must be used either both or none";

    /** The largest accepted time limit, in seconds; anything above is surely a mistake. */
    static final long MAX_TIME_SECONDS = 1_000_000_000L;

    private static final int AS_GID = 1;
    private static final int AS_UID = 2;
    private static final int BOX_ID = 3;
    private static final int CG = 4;
    private static final int CG_MEM = 5;
    private static final int CG_TIMING = 6;
    private static final int CHDIR = 7;
    private static final int CHECK_CONFIG = 8;
    private static final int CLEANUP = 9;
    private static final int CONFIG = 10;
    private static final int CORE = 11;
    private static final int DIR = 12;
    private static final int ENV = 13;
    private static final int EXTRA_TIME = 14;
    private static final int FSIZE = 15;
    private static final int FULL_ENV = 16;
    private static final int INHERIT_FDS = 17;
    private static final int INIT = 18;
    private static final int MEM = 19;
    private static final int META = 20;
    private static final int NO_CG_TIMING = 21;
    private static final int NO_DEFAULT_DIRS = 22;
    private static final int OPEN_FILES = 23;
    private static final int PRINT_CG_ROOT = 24;
    private static final int PROCESSES = 25;
    private static final int QUOTA = 26;
    private static final int RUN = 27;
    private static final int SHARE_NET = 28;
    private static final int SILENT = 29;
    private static final int SPECIAL_FILES = 30;
    private static final int STACK = 31;
    private static final int STDERR = 32;
    private static final int STDERR_TO_STDOUT = 33;
    private static final int STDIN = 34;
    private static final int STDOUT = 35;
    private static final int SYSCALLS = 36;
    private static final int TIME = 37;
    private static final int TTY_HACK = 38;
    private static final int VERBOSE = 39;
    private static final int VERSION = 40;
    private static final int WAIT = 41;
    private static final int WALL_TIME = 42;

    /**
     * The recognised options, sorted by long name (which is also the order of candidates in an ambiguity message).
     * Options that isolate 2.x does not have are not abbreviable, so every abbreviation isolate accepts
     * ({@code --co} for {@code --core}, {@code --no} for {@code --no-default-dirs}, {@code --cg-} for
     * {@code --cg-mem}) still means the same here.
     */
    static final List<Option> OPTIONS = List.of(
            new Option(NO_SHORT, "as-gid", REQUIRED, AS_GID),
            new Option(NO_SHORT, "as-uid", REQUIRED, AS_UID),
            new Option('b', "box-id", REQUIRED, BOX_ID),
            new Option(NO_SHORT, "cg", NONE, CG),
            new Option(NO_SHORT, "cg-mem", REQUIRED, CG_MEM),
            new Option(NO_SHORT, "cg-timing", NONE, CG_TIMING, false),
            new Option('c', "chdir", REQUIRED, CHDIR),
            new Option(NO_SHORT, "check-config", NONE, CHECK_CONFIG),
            new Option(NO_SHORT, "cleanup", NONE, CLEANUP),
            new Option(NO_SHORT, "config", REQUIRED, CONFIG, false),
            new Option(NO_SHORT, "core", REQUIRED, CORE),
            new Option('d', "dir", REQUIRED, DIR),
            new Option('E', "env", REQUIRED, ENV),
            new Option('x', "extra-time", REQUIRED, EXTRA_TIME),
            new Option('f', "fsize", REQUIRED, FSIZE),
            new Option('e', "full-env", NONE, FULL_ENV),
            new Option(NO_SHORT, "inherit-fds", NONE, INHERIT_FDS),
            new Option(NO_SHORT, "init", NONE, INIT),
            new Option('m', "mem", REQUIRED, MEM),
            new Option('M', "meta", REQUIRED, META),
            new Option(NO_SHORT, "no-cg-timing", NONE, NO_CG_TIMING, false),
            new Option('D', "no-default-dirs", NONE, NO_DEFAULT_DIRS),
            new Option('n', "open-files", REQUIRED, OPEN_FILES),
            new Option(NO_SHORT, "print-cg-root", NONE, PRINT_CG_ROOT),
            new Option('p', "processes", OPTIONAL, PROCESSES),
            new Option('q', "quota", REQUIRED, QUOTA),
            new Option(NO_SHORT, "run", NONE, RUN),
            new Option(NO_SHORT, "share-net", NONE, SHARE_NET),
            new Option('s', "silent", NONE, SILENT),
            new Option(NO_SHORT, "special-files", NONE, SPECIAL_FILES),
            new Option('k', "stack", REQUIRED, STACK),
            new Option('r', "stderr", REQUIRED, STDERR),
            new Option(NO_SHORT, "stderr-to-stdout", NONE, STDERR_TO_STDOUT),
            new Option('i', "stdin", REQUIRED, STDIN),
            new Option('o', "stdout", REQUIRED, STDOUT),
            new Option(NO_SHORT, "syscalls", REQUIRED, SYSCALLS),
            new Option('t', "time", REQUIRED, TIME),
            new Option(NO_SHORT, "tty-hack", NONE, TTY_HACK),
            new Option('v', "verbose", NONE, VERBOSE),
            new Option(NO_SHORT, "version", NONE, VERSION),
            new Option(NO_SHORT, "wait", NONE, WAIT),
            new Option('w', "wall-time", REQUIRED, WALL_TIME));

    private IsolateCommandLine() {
    }

    /** {@link #parse(String, String[])} with {@link #PROGRAM_NAME}. */
    public static IsolateOptions parse(String[] args) throws UsageException {
        return parse(PROGRAM_NAME, args);
    }

    /**
     * Parses {@code args} (without the program name).
     *
     * @param programName prefix of option-scanner messages ({@code "mini-isolate: unrecognized option '--x'"})
     * @throws UsageException for anything isolate rejects as a usage error, and for time values isolate would
     *                        silently misread (see {@link #parseTime})
     */
    public static IsolateOptions parse(String programName, String[] args) throws UsageException {
        GetoptLong scanner = new GetoptLong(programName, OPTIONS, args);
        Builder b = new Builder();
        // Options are applied as they are found so that, as in isolate, the first bad thing on the line is the
        // one reported, whether it is a bad value or an unknown option.
        for (Match m = scanner.next(); m != null; m = scanner.next()) {
            b.apply(m);
        }
        List<String> positionals = scanner.positionals();
        boolean afterDoubleDash = scanner.positionalsBeforeDoubleDash() == 0 && !positionals.isEmpty();
        return b.build(positionals, afterDoubleDash);
    }

    /**
     * Parses an isolate integer parameter: decimal, the whole text, within 0..{@link Integer#MAX_VALUE}. A sign is
     * tolerated like C's {@code strtol} does, so {@code -5} is "out of range" rather than "invalid".
     */
    static int parseNumber(String text) throws UsageException {
        int n = text.length();
        int i = 0;
        boolean negative = false;
        if (n > 0 && (text.charAt(0) == '+' || text.charAt(0) == '-')) {
            negative = text.charAt(0) == '-';
            i = 1;
        }
        if (i == n) {
            throw new UsageException("Invalid numeric parameter: " + text, false);
        }
        long value = 0;
        boolean overflow = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new UsageException("Invalid numeric parameter: " + text, false);
            }
            if (!overflow) {
                value = value * 10 + (c - '0');
                overflow = value > Integer.MAX_VALUE;
            }
        }
        if (overflow || (negative && value != 0)) {
            throw new UsageException("Numeric parameter out of range: " + text, false);
        }
        return (int) value;
    }

    /**
     * Parses a time limit in seconds into whole milliseconds, truncating like isolate does.
     *
     * <p>Deliberately stricter than isolate, which uses {@code atof} unchecked: there {@code -t abc} or
     * {@code -t 1s} silently means "no limit" and {@code -t -1} is accepted. Here the value must be a plain
     * non-negative decimal number ({@code 2}, {@code 0.5}, {@code .5}, {@code 3.}), at most
     * {@value #MAX_TIME_SECONDS} seconds; a positive value below one millisecond, which would truncate to 0 and
     * thereby silently disable the limit, is rejected as well. Digits are converted exactly (no binary floating
     * point), so {@code 4.35} is 4350 ms.
     */
    static Duration parseTime(String optionName, String text) throws UsageException {
        int n = text.length();
        int i = 0;
        long seconds = 0;
        int digits = 0;
        for (; i < n && isDigit(text.charAt(i)); i++, digits++) {
            if (seconds <= MAX_TIME_SECONDS) {
                seconds = seconds * 10 + (text.charAt(i) - '0');
            }
        }
        long millis = 0;
        boolean nonZeroBelowMillis = false;
        if (i < n && text.charAt(i) == '.') {
            i++;
            int place = 0;
            for (; i < n && isDigit(text.charAt(i)); i++, digits++, place++) {
                int d = text.charAt(i) - '0';
                if (place < 3) {
                    millis = millis * 10 + d;
                } else if (d != 0) {
                    nonZeroBelowMillis = true;
                }
            }
            for (; place < 3; place++) {
                millis *= 10;
            }
        }
        if (digits == 0 || i != n) {
            throw badTime(optionName, text, "expected seconds as a plain decimal number, e.g. 2 or 0.5");
        }
        if (seconds > MAX_TIME_SECONDS || (seconds == MAX_TIME_SECONDS && (millis != 0 || nonZeroBelowMillis))) {
            throw badTime(optionName, text, "more than " + MAX_TIME_SECONDS + " seconds");
        }
        long total = seconds * 1000 + millis;
        if (total == 0 && nonZeroBelowMillis) {
            throw badTime(optionName, text, "below the 1 ms resolution; use 0 for no limit");
        }
        return Duration.ofMillis(total);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static UsageException badTime(String optionName, String text, String why) {
        return new UsageException("Invalid time value for " + optionName + ": '" + text + "' (" + why + ")", false);
    }

    /** Parses {@code -q BLOCKS,INODES}. */
    static Quota parseQuota(String text) throws UsageException {
        int comma = text.indexOf(',');
        if (comma < 0) {
            throw new UsageException("Invalid quota '" + text + "': expected BLOCKS,INODES (e.g. -q 10000,100)",
                    false);
        }
        return new Quota(parseNumber(text.substring(0, comma)), parseNumber(text.substring(comma + 1)));
    }

    /** Checks the one thing about an {@code -E} rule that isolate rejects at parse time: an empty variable name. */
    static String checkEnvRule(String rule) throws UsageException {
        int eq = rule.indexOf('=');
        if (eq == 0 || rule.isEmpty()) {
            throw new UsageException("Invalid environment rule '" + rule
                    + "': expected VAR (copy), VAR=VALUE (set) or VAR= (remove)", false);
        }
        return rule;
    }

    /** Collects option values while scanning; last occurrence wins unless noted. */
    private static final class Builder {
        Command command;
        int boxId;
        boolean waitForLock;
        Integer asUid;
        Integer asGid;
        Duration cpuTime;
        Duration wallTime;
        Duration extraTime;
        Integer memKib;
        Integer stackKib;
        Integer fsizeKib;
        Integer coreKib;
        Integer openFiles;
        OptionalInt processes = OptionalInt.of(1);
        Quota quota;
        boolean cg;
        Integer cgMemKib;
        Boolean cgTiming;
        String stdin;
        String stdout;
        String stderr;
        boolean stderrToStdout;
        String metaPath;
        boolean inheritFds;
        boolean ttyHack;
        int silent;
        int verbose;
        final List<String> dirRules = new ArrayList<>();
        boolean noDefaultDirs;
        final List<String> envRules = new ArrayList<>();
        boolean fullEnv;
        String chdir;
        boolean shareNet;
        boolean specialFiles;
        Integer syscallFlags;
        String configPath;

        void apply(Match m) throws UsageException {
            String v = m.value();
            switch (m.id()) {
                case AS_GID -> asGid = parseNumber(v);
                case AS_UID -> asUid = parseNumber(v);
                case BOX_ID -> boxId = parseNumber(v);
                case CG -> cg = true;
                case CG_MEM -> cgMemKib = parseNumber(v);
                case CG_TIMING -> cgTiming = Boolean.TRUE;
                case NO_CG_TIMING -> cgTiming = Boolean.FALSE;
                case CHDIR -> chdir = v;
                case CONFIG -> configPath = v;
                case CORE -> coreKib = parseNumber(v);
                case DIR -> dirRules.add(v);
                case ENV -> envRules.add(checkEnvRule(v));
                case EXTRA_TIME -> extraTime = parseTime("--extra-time", v);
                case FSIZE -> fsizeKib = parseNumber(v);
                case FULL_ENV -> fullEnv = true;
                case INHERIT_FDS -> inheritFds = true;
                case MEM -> memKib = parseNumber(v);
                case META -> metaPath = v;
                case NO_DEFAULT_DIRS -> noDefaultDirs = true;
                case OPEN_FILES -> openFiles = parseNumber(v);
                case PROCESSES -> processes = parseProcesses(v);
                case QUOTA -> quota = parseQuota(v);
                case SHARE_NET -> shareNet = true;
                case SILENT -> silent++;
                case SPECIAL_FILES -> specialFiles = true;
                case STACK -> stackKib = parseNumber(v);
                case STDERR -> {
                    stderr = v;
                    stderrToStdout = false;
                }
                case STDERR_TO_STDOUT -> {
                    stderrToStdout = true;
                    stderr = null;
                }
                case STDIN -> stdin = v;
                case STDOUT -> stdout = v;
                case SYSCALLS -> syscallFlags = parseNumber(v);
                case TIME -> cpuTime = parseTime("--time", v);
                case TTY_HACK -> ttyHack = true;
                case VERBOSE -> verbose++;
                case WAIT -> waitForLock = true;
                case WALL_TIME -> wallTime = parseTime("--wall-time", v);
                case INIT -> setCommand(Command.INIT);
                case RUN -> setCommand(Command.RUN);
                case CLEANUP -> setCommand(Command.CLEANUP);
                case VERSION -> setCommand(Command.VERSION);
                case CHECK_CONFIG -> setCommand(Command.CHECK_CONFIG);
                case PRINT_CG_ROOT -> setCommand(Command.PRINT_CG_ROOT);
                default -> throw new IllegalStateException("option table and handler disagree on id " + m.id());
            }
        }

        private static OptionalInt parseProcesses(String value) throws UsageException {
            // isolate: no value or 0 leaves RLIMIT_NPROC alone, i.e. no limit.
            int n = value == null ? 0 : parseNumber(value);
            return n == 0 ? OptionalInt.empty() : OptionalInt.of(n);
        }

        private void setCommand(Command c) throws UsageException {
            if (command != null && command != c) {
                throw new UsageException(ONE_COMMAND, false);
            }
            command = c;
        }

        IsolateOptions build(List<String> positionals, boolean programAfterDoubleDash) throws UsageException {
            if (command == null) {
                throw new UsageException(NO_COMMAND, false);
            }
            if (cgMemKib != null && !cg) {
                throw new UsageException(CG_REQUIRED, false);
            }
            if ((asUid == null) != (asGid == null)) {
                throw new UsageException(UID_GID_PAIR, false);
            }
            if (command == Command.RUN) {
                if (positionals.isEmpty()) {
                    throw new UsageException(
                            "--run needs a program to run: --run -- PROGRAM [ARGUMENTS...]", false);
                }
            } else if (!positionals.isEmpty()) {
                throw new UsageException("Unexpected argument '" + positionals.get(0) + "': "
                        + command.optionName() + " takes no positional arguments (only --run takes a program)",
                        false);
            }
            return new IsolateOptions(command, boxId, waitForLock, asUid, asGid, cpuTime, wallTime, extraTime,
                    memKib, stackKib, fsizeKib, coreKib, openFiles, processes, quota, cg, cgMemKib, cgTiming,
                    stdin, stdout, stderr, stderrToStdout, metaPath, inheritFds, ttyHack, silent, verbose,
                    dirRules, noDefaultDirs, envRules, fullEnv, chdir, shareNet, specialFiles, syscallFlags,
                    configPath, positionals, programAfterDoubleDash);
        }
    }
}
