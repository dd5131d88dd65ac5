package org.miniisolate.nativeio;

/**
 * libseccomp could not be loaded, or lacks a function the filter compiler needs. The message
 * names the library and says how to get a usable one.
 */
public final class LibseccompUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LibseccompUnavailableException(String library, String problem, Throwable cause) {
        super("cannot use " + library + " (" + problem + "): install libseccomp 2.4 or later"
                + " (package libseccomp2 on Debian and Ubuntu, libseccomp on Fedora and Arch),"
                + " or name the library file with -D" + Libseccomp.LIBRARY_PROPERTY + "=PATH", cause);
    }
}
