package org.miniisolate.cli.isolate;

/**
 * The command line cannot be accepted. isolate exits with status {@value #EXIT_CODE} for every such error.
 *
 * <p>How the caller reports it, mirroring isolate: print {@link #getMessage()} on stderr; then, if
 * {@link #printUsage()} is set (the option scanner rejected an option, e.g. {@code --help}), print
 * {@link UsageText#text(String)} on <em>stdout</em>; otherwise print {@link UsageText#hint(String)} on stderr.
 */
public final class UsageException extends Exception {

    /** The process exit status isolate uses for usage errors. */
    public static final int EXIT_CODE = 2;

    private static final long serialVersionUID = 1L;

    private final boolean printUsage;

    public UsageException(String message, boolean printUsage) {
        // No stack trace: this is a user-facing outcome, not a bug, and the CLI path must stay cheap.
        super(message, null, false, false);
        this.printUsage = printUsage;
    }

    /** Whether the full usage text should follow the message (isolate does so for option-scanner errors). */
    public boolean printUsage() {
        return printUsage;
    }
}
