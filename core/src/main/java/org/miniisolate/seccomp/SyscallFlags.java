package org.miniisolate.seccomp;

/**
 * isolate's {@code syscall_flags} bits (config key and {@code --syscalls=FLAGS}), with isolate's
 * meaning. A set bit turns a restriction on; bits isolate does not define are ignored, as isolate
 * ignores them. 0 turns the whole filter off, mini-isolate's own denylist included.
 */
public final class SyscallFlags {
    /** keyctl, add_key, request_key fail with ENOSYS: the kernel's keyrings are not per box. */
    public static final int KEYRINGS = 1;
    /** socket(AF_VSOCK) fails with EAFNOSUPPORT: VM sockets ignore network namespaces. */
    public static final int VSOCK = 2;
    /** fcntl record locks, leases and dnotify fail with EPERM, flock with ENOSYS: locks are visible across boxes. */
    public static final int FILE_LOCKS = 4;
    /** io_uring_setup, io_uring_enter, io_uring_register fail with ENOSYS: a large kernel surface the filter cannot see into. */
    public static final int IO_URING = 8;
    /** Only the native ABI: an i386 ({@code int $0x80}) or x32 system call kills the program with SIGSYS. */
    public static final int NATIVE_ABI_ONLY = 16;
    /** isolate's default: every restriction. */
    public static final int ALL = 65535;
    /** No filter at all. */
    public static final int NONE = 0;

    private SyscallFlags() {}

    /**
     * Reads a flags value as written in isolate's config file or on its command line: a
     * non-negative decimal number.
     *
     * @throws IllegalArgumentException with a message naming the bad value
     */
    public static int parse(String text) {
        String t = text.strip();
        try {
            int v = Integer.parseInt(t);
            if (v >= 0 && !t.startsWith("+")) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("invalid system call flags '" + text
                + "': give a number such as 65535 (all restrictions), 0 (no filter) or 65519 (allow 32-bit programs)");
    }

    static boolean isSet(int flags, int bit) {
        return (flags & bit) != 0;
    }
}
