package org.miniisolate.cli.isolate;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Scans one argument vector the way GNU {@code getopt_long} does in its default, permuting mode.
 *
 * <p>isolate's command line is defined by that behaviour rather than by a grammar of its own, so callers
 * that work with isolate (judges, scripts) depend on its quirks; this class reproduces them:
 * <ul>
 *   <li>Non-option arguments may appear anywhere; they are collected as positionals in order and the
 *       scan goes on (so options after a program name are still options) until a literal {@code --},
 *       after which every argument is positional. A lone {@code -} is a positional.</li>
 *   <li>Short options cluster ({@code -sv}); a required value is the rest of the cluster ({@code -t5}) or
 *       else the next argument, whatever it looks like ({@code -t --} takes {@code --} as the value).</li>
 *   <li>Long options take {@code --name=value} or, for required values, {@code --name value}.</li>
 *   <li>Optional values exist only when attached ({@code -p5}, {@code --processes=5}); {@code -p 5} is
 *       {@code -p} without a value followed by the positional {@code 5}.</li>
 *   <li>A long name may be abbreviated to any unambiguous prefix; an exact match always wins.</li>
 * </ul>
 * Unlike GNU getopt, the first error ends the scan with a {@link UsageException}: isolate exits on it anyway.
 *
 * <p>Usage: call {@link #next()} until it returns {@code null}, handling each {@link Match} as it comes (so that
 * errors surface in command-line order), then read {@link #positionals()}. An instance scans once and is not
 * thread-safe.
 */
public final class GetoptLong {

    /** Whether an option takes a value. */
    public enum ArgKind { NONE, REQUIRED, OPTIONAL }

    /** {@link Option#shortName()} of an option that has only a long name. */
    public static final char NO_SHORT = 0;

    /**
     * One entry of the option table.
     *
     * @param shortName   the letter after a single dash, or {@link #NO_SHORT}
     * @param longName    the name after a double dash, or {@code null} for a short-only option
     * @param argKind     whether a value is expected
     * @param id          the caller's identifier, reported back in {@link Match}
     * @param abbreviable whether a strict prefix of the long name selects this option. Options that the
     *                    emulated program does not have should be {@code false}, so that adding them does not
     *                    turn formerly unambiguous abbreviations of its real options into ambiguous ones.
     */
    public record Option(char shortName, String longName, ArgKind argKind, int id, boolean abbreviable) {
        public Option {
            Objects.requireNonNull(argKind, "argKind");
            if (shortName == NO_SHORT && longName == null) {
                throw new IllegalArgumentException("option " + id + " has neither a short nor a long name");
            }
            if (shortName == '-' || shortName == '=') {
                throw new IllegalArgumentException("'" + shortName + "' cannot be a short option");
            }
            if (longName != null && (longName.isEmpty() || longName.indexOf('=') >= 0)) {
                throw new IllegalArgumentException("invalid long option name '" + longName + "'");
            }
        }

        /** An option whose long name may be abbreviated. */
        public Option(char shortName, String longName, ArgKind argKind, int id) {
            this(shortName, longName, argKind, id, true);
        }
    }

    /**
     * One option found on the command line.
     *
     * @param option the table entry
     * @param value  the value; {@code null} when the option takes none or an optional value was absent
     *               (an explicit empty value such as {@code --processes=} is {@code ""})
     */
    public record Match(Option option, String value) {
        public int id() {
            return option.id();
        }
    }

    private final String programName;
    private final List<Option> table;
    private final String[] args;
    private final List<String> positionals = new ArrayList<>();

    private int index;                  // next element of args to look at
    private String cluster;             // the short-option cluster being consumed, or null
    private int clusterPos;             // next character of cluster
    private int positionalsBeforeDoubleDash = -1;

    /**
     * @param programName prefix of error messages, as GNU getopt uses {@code argv[0]}
     * @param table       the recognised options; list order is the order ambiguous candidates are reported in
     * @param args        the arguments, without the program name
     */
    public GetoptLong(String programName, List<Option> table, String[] args) {
        this.programName = Objects.requireNonNull(programName, "programName");
        this.table = List.copyOf(table);
        this.args = args.clone();
        for (String a : this.args) {
            Objects.requireNonNull(a, "argument");
        }
    }

    /**
     * The next option, or {@code null} when all arguments have been consumed.
     *
     * @throws UsageException (with {@link UsageException#printUsage()} set) for an unknown or ambiguous option
     *                        or a missing or unexpected value; the message is in GNU's wording, prefixed by the
     *                        program name
     */
    public Match next() throws UsageException {
        if (cluster != null) {
            return nextInCluster();
        }
        while (index < args.length) {
            String arg = args[index++];
            if (positionalsBeforeDoubleDash >= 0) {
                positionals.add(arg);
            } else if (arg.equals("--")) {
                positionalsBeforeDoubleDash = positionals.size();
            } else if (arg.length() < 2 || arg.charAt(0) != '-') {
                positionals.add(arg);
            } else if (arg.charAt(1) == '-') {
                return longOption(arg);
            } else {
                cluster = arg;
                clusterPos = 1;
                return nextInCluster();
            }
        }
        return null;
    }

    /** Non-option arguments in order; complete once {@link #next()} has returned {@code null}. */
    public List<String> positionals() {
        return List.copyOf(positionals);
    }

    /**
     * How many positionals were collected before a literal {@code --}, or {@code -1} if there was none.
     * {@code 0} means every positional came after {@code --}, i.e. none of them was open to option parsing.
     */
    public int positionalsBeforeDoubleDash() {
        return positionalsBeforeDoubleDash;
    }

    private Match nextInCluster() throws UsageException {
        String text = cluster;
        char c = text.charAt(clusterPos++);
        boolean restEmpty = clusterPos == text.length();
        Option option = findShort(c);
        if (option == null) {
            cluster = null;
            throw error("invalid option -- '" + c + "'");
        }
        if (option.argKind() == ArgKind.NONE) {
            if (restEmpty) {
                cluster = null;
            }
            return new Match(option, null);
        }
        // A value-taking option always ends the cluster: whatever follows it is its value.
        cluster = null;
        if (!restEmpty) {
            return new Match(option, text.substring(clusterPos));
        }
        if (option.argKind() == ArgKind.OPTIONAL) {
            return new Match(option, null);
        }
        if (index < args.length) {
            return new Match(option, args[index++]);
        }
        throw error("option requires an argument -- '" + c + "'");
    }

    private Match longOption(String arg) throws UsageException {
        int eq = arg.indexOf('=', 2);
        String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
        String attached = eq < 0 ? null : arg.substring(eq + 1);

        Option option = findLong(arg, name);
        String fullName = "--".concat(option.longName());
        if (option.argKind() == ArgKind.NONE) {
            if (attached != null) {
                throw error("option '" + fullName + "' doesn't allow an argument");
            }
            return new Match(option, null);
        }
        if (attached != null || option.argKind() == ArgKind.OPTIONAL) {
            return new Match(option, attached);
        }
        if (index < args.length) {
            return new Match(option, args[index++]);
        }
        throw error("option '" + fullName + "' requires an argument");
    }

    private Option findShort(char c) {
        for (Option o : table) {
            if (o.shortName() == c && c != NO_SHORT) {
                return o;
            }
        }
        return null;
    }

    private Option findLong(String arg, String name) throws UsageException {
        for (Option o : table) {
            if (name.equals(o.longName())) {
                return o;
            }
        }
        Option first = null;
        boolean ambiguous = false;
        for (Option o : table) {
            if (o.abbreviable() && o.longName() != null && o.longName().startsWith(name)) {
                if (first == null) {
                    first = o;
                } else if (o.id() != first.id() || o.argKind() != first.argKind()) {
                    // Entries with the same id and kind are aliases; only a real choice is ambiguous.
                    ambiguous = true;
                }
            }
        }
        if (first == null) {
            throw error("unrecognized option '" + arg + "'");
        }
        if (ambiguous) {
            StringBuilder sb = new StringBuilder("option '").append(arg).append("' is ambiguous; possibilities:");
            for (Option o : table) {
                if (o.abbreviable() && o.longName() != null && o.longName().startsWith(name)) {
                    sb.append(" '--").append(o.longName()).append('\'');
                }
            }
            throw error(sb.toString());
        }
        return first;
    }

    private UsageException error(String message) {
        return new UsageException(programName + ": " + message, true);
    }
}
