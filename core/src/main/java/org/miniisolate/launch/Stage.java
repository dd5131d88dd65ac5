package org.miniisolate.launch;

/**
 * The launcher's steps that can fail, in the launcher's numbering (see {@code enum stage} in
 * launcher.c). The label is what a user reads in front of the errno text.
 */
public enum Stage {
    SPEC(1, "launcher spec"),
    ARGS(2, "launcher arguments"),
    PARENT(3, "binding the launcher's life to the JVM"),
    PIPE(4, "pipe"),
    CLONE(5, "creating the box namespaces (clone)"),
    SYNC(6, "synchronising with the box"),
    MOUNT_PRIVATE(7, "making mounts private"),
    ROOT_TMPFS(8, "mounting the box root"),
    MOUNTPOINT(9, "creating a mount point"),
    MOUNT(10, "mount"),
    SYMLINK(11, "symlink"),
    PIVOT_ROOT(12, "pivot_root"),
    ROOT_READONLY(13, "making the box root read-only"),
    LOOPBACK(14, "bringing up the loopback interface"),
    HOSTNAME(15, "sethostname"),
    FORK(16, "fork"),
    SETSID(17, "setsid"),
    CWD(18, "chdir to the box"),
    RLIMIT(19, "setrlimit"),
    CAPS(20, "dropping capabilities"),
    IDS(21, "switching to the box user"),
    NO_NEW_PRIVS(22, "no_new_privs"),
    STDIN(23, "open"),
    STDOUT(24, "open"),
    STDERR(25, "open"),
    CHDIR(26, "chdir"),
    CLOSE_FDS(27, "closing file descriptors"),
    SECCOMP(28, "installing the seccomp filter"),
    EXEC(29, "execve"),
    WAIT(30, "wait"),
    SIGNALS(31, "signal handlers"),
    CGROUP(32, "entering the box's control group"),
    BIND_IDENTITY(33, "taking the caller's identity for binds"),
    IPC(34, "giving the run a fresh IPC namespace"),
    RESET(35, "resetting the warm box's filesystems"),
    USERNS(36, "setting up the box's user namespace (rootless)"),
    NET_NS(37, "joining the box's network namespace");

    private final int code;
    private final String label;

    Stage(int code, String label) {
        this.code = code;
        this.label = label;
    }

    public String label() {
        return label;
    }

    static Stage of(int code) {
        for (Stage s : values()) {
            if (s.code == code) {
                return s;
            }
        }
        throw new IllegalArgumentException("launcher reported unknown stage " + code);
    }
}
