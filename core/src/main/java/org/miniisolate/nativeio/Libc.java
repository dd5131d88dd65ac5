package org.miniisolate.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The few libc calls the JVM does not offer, through the Foreign Function &amp; Memory API.
 * Every binding of the project lives in this package, so the unsafe surface is in one place.
 *
 * <p>Calls that can fail capture errno and throw {@link NativeException} naming the call.
 *
 * <p>Start-up cost is the design constraint here: the CLI runs once per judged program. The
 * system calls and posix_spawn all go through {@link Syscall} (one linked stub for all of them);
 * strerror gets a holder class ({@link StrError}), linked on first use only, so a run that never
 * fails never links it.
 */
@SuppressWarnings("restricted")
public final class Libc {
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGTERM = 15;
    public static final int POLLIN = 0x1;
    public static final int POLLHUP = 0x10;
    public static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = Syscall.EINTR;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int MFD_CLOEXEC = 0x1;
    private static final long POLLFD_BYTES = 8; // struct pollfd: int fd, short events, short revents

    /** strerror(3): only failures need it. */
    private static final class StrError {
        static final MethodHandle STRERROR = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private Libc() {}

    /**
     * Links the downcalls on a daemon thread and returns at once. Linking is most of the cost of
     * the first native call in a JVM (the FFM linker's own start: 25-36 ms here even with an AOT
     * cache); a command line that calls this first thing overlaps it with everything a run does
     * before its first system call: parsing, the configuration, the launcher's copy, the system
     * call filter, the box lock and state, the root plan (nothing before the hand-over of
     * {@code box/} calls native code: {@link #geteuid} reads /proc). Calls made meanwhile wait for
     * the linking to finish.
     */
    public static void linkInBackground() {
        Thread.ofPlatform().daemon().name("mini-isolate-link").start(Libc::getegid);
    }

    /** Unwraps what a downcall threw: runtime exceptions and errors as they are, anything else wrapped. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** The text the C library gives for an errno value, e.g. "No such file or directory". */
    public static String strerror(int errno) {
        try {
            MemorySegment s = (MemorySegment) StrError.STRERROR.invokeExact(errno);
            return s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * The effective uid, read from {@code /proc/self/status} rather than asked through a downcall: the CLI checks it
     * first thing, and the first downcall of a JVM waits for the FFM linker (25-36 ms), which {@link
     * #linkInBackground} can then overlap with the rest of a run's preparation. A JVM never changes its own uid, so
     * it is read once.
     */
    public static int geteuid() {
        return Credentials.EUID;
    }

    /** The process's effective uid, read once; a holder class, so only its first user pays. */
    private static final class Credentials {
        static final int EUID = effectiveUid();

        private static int effectiveUid() {
            String status;
            try {
                status = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/status"),
                        java.nio.charset.StandardCharsets.ISO_8859_1);
            } catch (java.io.IOException e) {
                // No /proc: ask the kernel (and pay for the linking now).
                return (int) Syscall.call(Syscall.GETEUID);
            }
            // "Uid:" then the real, effective, saved and file-system uids, separated by tabs.
            int at = status.indexOf("\nUid:");
            if (at < 0) {
                return (int) Syscall.call(Syscall.GETEUID);
            }
            int lineEnd = status.indexOf('\n', at + 1);
            String[] ids = status.substring(at + 5, lineEnd < 0 ? status.length() : lineEnd).trim().split("\t");
            return Integer.parseInt(ids[1].trim());
        }
    }

    public static int getegid() {
        return (int) Syscall.call(Syscall.GETEGID);
    }

    /** This process's hard limit of rlimit {@code resource}, as an unsigned value (-1 is RLIM_INFINITY). */
    public static long hardLimit(int resource) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(JAVA_LONG, 2); // struct rlimit64 {cur, max}
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.PRLIMIT64, 0, resource, 0, old.address()) < 0) {
                throw new NativeException("prlimit", Syscall.errno(state));
            }
            return old.getAtIndex(JAVA_LONG, 1);
        }
    }

    /** A pipe as {read, write}; both ends close-on-exec unless {@code cloexec} is false. */
    public static int[] pipe(boolean cloexec) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.PIPE2, fds.address(), cloexec ? O_CLOEXEC : 0) < 0) {
                throw new NativeException("pipe2", Syscall.errno(state));
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    public static void setCloseOnExec(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.FCNTL, fd, F_SETFD, FD_CLOEXEC) < 0) {
                throw new NativeException("fcntl(F_SETFD)", Syscall.errno(state));
            }
        }
    }

    /** Lets a child started next inherit {@code fd} (clears close-on-exec). */
    public static void setInheritable(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.FCNTL, fd, F_SETFD, 0) < 0) {
                throw new NativeException("fcntl(F_SETFD)", Syscall.errno(state));
            }
        }
    }

    /** An empty anonymous file, closed on exec: a private scratch buffer for a library that writes to an fd. */
    public static int memfd(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return memfdCreate(arena, name, MFD_CLOEXEC);
        }
    }

    private static int memfdCreate(Arena arena, String name, int flags) {
        MemorySegment state = Syscall.state(arena);
        long fd = Syscall.call(state, Syscall.MEMFD_CREATE, arena.allocateFrom(name).address(), flags);
        if (fd < 0) {
            throw new NativeException("memfd_create", Syscall.errno(state));
        }
        return (int) fd;
    }

    /** An anonymous file holding {@code bytes}; inheritable, so a spawned child can read it. */
    public static int memfdWith(String name, byte[] bytes) {
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = memfdCreate(arena, name, 0);
        }
        try {
            writeFully(fd, bytes);
        } catch (RuntimeException e) {
            close(fd);
            throw e;
        }
        return fd;
    }

    public static void writeFully(int fd, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            MemorySegment state = Syscall.state(arena);
            long off = 0;
            while (off < bytes.length) {
                long n = Syscall.call(state, Syscall.WRITE, fd, buf.address() + off, bytes.length - off);
                if (n < 0) {
                    int err = Syscall.errno(state);
                    if (err == EINTR) {
                        continue;
                    }
                    throw new NativeException("write", err);
                }
                off += n;
            }
        }
    }

    /** Reads up to {@code into.length} bytes into {@code into}; 0 means end of file. */
    public static int read(int fd, byte[] into) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            MemorySegment buf = arena.allocate(Math.max(1, into.length));
            while (true) {
                long n = Syscall.call(state, Syscall.READ, fd, buf.address(), into.length);
                if (n >= 0) {
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, into, 0, (int) n);
                    return (int) n;
                }
                int err = Syscall.errno(state);
                if (err != EINTR) {
                    throw new NativeException("read", err);
                }
            }
        }
    }

    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            Syscall.call(Syscall.state(arena), Syscall.CLOSE, fd);
        }
    }

    /** Waits up to {@code timeoutMillis} for {@code fd} to be readable or hung up; true if so. */
    public static boolean pollReadable(int fd, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(POLLFD_BYTES, 8);
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(JAVA_SHORT, 4, (short) POLLIN);
            MemorySegment state = Syscall.state(arena);
            long rc = Syscall.call(state, Syscall.POLL, pfd.address(), 1, timeoutMillis);
            if (rc < 0) {
                int err = Syscall.errno(state);
                if (err == EINTR) {
                    return false;
                }
                throw new NativeException("poll", err);
            }
            return rc > 0;
        }
    }

    /** Reaps a child of this JVM and returns its raw wait status. */
    public static int waitpid(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            MemorySegment state = Syscall.state(arena);
            while (true) {
                // waitpid(pid, &status, 0) is wait4 without the rusage.
                long rc = Syscall.call(state, Syscall.WAIT4, pid, status.address(), 0, 0);
                if (rc == pid) {
                    return status.get(JAVA_INT, 0);
                }
                int err = Syscall.errno(state);
                if (rc < 0 && err != EINTR) {
                    throw new NativeException("waitpid", err);
                }
            }
        }
    }

    /** Sends a signal; false if the process no longer exists. */
    public static boolean kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            return Syscall.call(Syscall.state(arena), Syscall.KILL, pid, signal) == 0;
        }
    }

    /**
     * Starts {@code path} with {@code argv} and an empty environment, inheriting every fd that is
     * not close-on-exec. No PATH search, no JDK helper process: about a third of ProcessBuilder's
     * cost per start.
     */
    public static int spawn(String path, List<String> argv) {
        try (Arena arena = Arena.ofConfined()) {
            // Pointers written as longs (x86-64: 64 bits, as Syscall assumes): the ADDRESS accessors
            // would be this process's only use of them, and their first use costs a few ms.
            MemorySegment args = arena.allocate(JAVA_LONG, argv.size() + 1L);
            for (int i = 0; i < argv.size(); i++) {
                args.setAtIndex(JAVA_LONG, i, arena.allocateFrom(argv.get(i)).address());
            }
            args.setAtIndex(JAVA_LONG, argv.size(), 0L);
            MemorySegment env = arena.allocate(JAVA_LONG, 1);
            env.setAtIndex(JAVA_LONG, 0, 0L);
            MemorySegment pid = arena.allocate(JAVA_INT);
            int rc = Syscall.posixSpawn(Syscall.state(arena), pid.address(), arena.allocateFrom(path).address(), 0, 0,
                    args.address(), env.address());
            if (rc != 0) {
                throw new NativeException("posix_spawn(" + path + ")", rc);
            }
            return pid.get(JAVA_INT, 0);
        }
    }
}
