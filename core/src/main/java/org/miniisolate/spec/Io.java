package org.miniisolate.spec;

/**
 * Where the program's standard streams go. Paths are opened inside the box, as the box user,
 * relative to /box; null inherits the caller's stream.
 */
public record Io(String stdin, String stdout, String stderr, boolean stderrToStdout) {
    public static final Io INHERIT = new Io(null, null, null, false);

    public Io {
        requireUsable("stdin", stdin);
        requireUsable("stdout", stdout);
        requireUsable("stderr", stderr);
    }

    private static void requireUsable(String what, String path) {
        if (path != null && (path.isEmpty() || path.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException(what + " redirection needs a file name");
        }
    }
}
