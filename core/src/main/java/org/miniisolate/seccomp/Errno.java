package org.miniisolate.seccomp;

/** The errno values the default policy answers with (x86-64 and i386 share them). */
public final class Errno {
    /** "Operation not permitted": what the kernel says to a process without the capability. */
    public static final int EPERM = 1;
    /** "Function not implemented": as if the kernel were built without the facility; libc falls back where it can. */
    public static final int ENOSYS = 38;
    /** "Address family not supported": as if the protocol were not compiled in. */
    public static final int EAFNOSUPPORT = 97;

    private Errno() {}

    /** The symbolic name of the values above, else the number. */
    public static String name(int errno) {
        return switch (errno) {
            case EPERM -> "EPERM";
            case ENOSYS -> "ENOSYS";
            case EAFNOSUPPORT -> "EAFNOSUPPORT";
            default -> Integer.toString(errno);
        };
    }
}
