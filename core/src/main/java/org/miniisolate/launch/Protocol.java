package org.miniisolate.launch;

/**
 * Numbers shared with {@code launcher.c} and described in {@code docs/launcher-protocol.md}.
 * A change here is a change of the protocol: bump {@link #VERSION} on both sides.
 */
final class Protocol {
    static final int MAGIC = 0x5053494d; // "MISP" read as a little-endian int
    static final int VERSION = 1;

    // Spec record tags.
    static final int T_END = 0;
    static final int T_OPTIONS = 1;
    static final int T_ROOT_DIR = 2;
    static final int T_MOUNT = 3;
    static final int T_SYMLINK = 4;
    static final int T_HOSTNAME = 5;
    static final int T_UID = 6;
    static final int T_GID = 7;
    static final int T_CWD = 8;
    static final int T_CHDIR = 9;
    static final int T_RLIMIT = 10;
    static final int T_ENV = 11;
    static final int T_ARG = 12;
    static final int T_PROGRAM = 13;
    static final int T_STDIN = 14;
    static final int T_STDOUT = 15;
    static final int T_STDERR = 16;
    static final int T_KEEP_FD = 17;
    static final int T_SECCOMP = 18;
    static final int T_CGROUP = 19;
    static final int T_BIND_IDENTITY = 20;
    static final int T_NET_NS = 21;

    static final int OPT_NEW_NET = 1;
    static final int OPT_STDERR_TO_STDOUT = 2;
    static final int OPT_SERVE = 4;
    static final int OPT_USER_NS = 16;

    static final int MOUNT_BIND = 1;
    static final int MOUNT_FS = 2;
    static final int MOUNT_RESTRICT = 3;
    static final int MF_RDONLY = 1;
    static final int MF_NOSUID = 2;
    static final int MF_NODEV = 4;
    static final int MF_NOEXEC = 8;
    static final int MF_RECURSIVE = 16;
    static final int MF_MAYBE = 32;
    static final int MF_AS_CALLER = 64;

    // Status record types and their fixed size.
    static final int R_INIT_PID = 1;
    static final int R_STARTED = 2;
    static final int R_FAILED = 3;
    static final int R_EXITED = 4;
    static final int R_KEEPER_DONE = 5;
    static final int R_READY = 6;
    static final int RECORD_BYTES = 80;

    private Protocol() {}
}
