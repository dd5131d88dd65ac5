package org.miniisolate.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
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
 */
@SuppressWarnings("restricted")
public final class Libc {
    public static final int SIGKILL = 9;
    public static final int SIGUSR1 = 10;
    public static final int SIGTERM = 15;
    public static final int POLLIN = 0x1;
    public static final int POLLHUP = 0x10;
    public static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final int F_SETFD = 2;
    private static final int FD_CLOEXEC = 1;
    private static final int MFD_CLOEXEC = 0x1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle POSIX_SPAWN = errnoReturning("posix_spawn",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle PIPE2 = capturing("pipe2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle MEMFD_CREATE = capturing("memfd_create",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle WRITE = capturing("write",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle READ = capturing("read",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = capturing("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle POLL = capturing("poll",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle WAITPID = capturing("waitpid",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle KILL = capturing("kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle FCNTL = capturing("fcntl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.findOrThrow("strerror"),
            FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle GETEUID = LINKER.downcallHandle(LIBC.findOrThrow("geteuid"),
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETEGID = LINKER.downcallHandle(LIBC.findOrThrow("getegid"),
            FunctionDescriptor.of(JAVA_INT));

    private static final StructLayout POLLFD = MemoryLayout.structLayout(
            JAVA_INT.withName("fd"), JAVA_SHORT.withName("events"), JAVA_SHORT.withName("revents"));

    private Libc() {}

    private static MethodHandle capturing(String name, FunctionDescriptor fd, Linker.Option... more) {
        Linker.Option[] options = new Linker.Option[more.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(more, 0, options, 1, more.length);
        return LINKER.downcallHandle(LIBC.findOrThrow(name), fd, options);
    }

    private static MethodHandle errnoReturning(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIBC.findOrThrow(name), fd);
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
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
            MemorySegment s = (MemorySegment) STRERROR.invokeExact(errno);
            return s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int geteuid() {
        try {
            return (int) GETEUID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int getegid() {
        try {
            return (int) GETEGID.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** A pipe as {read, write}; both ends close-on-exec unless {@code cloexec} is false. */
    public static int[] pipe(boolean cloexec) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) PIPE2.invokeExact(state, fds, cloexec ? O_CLOEXEC : 0);
            if (rc < 0) {
                throw new NativeException("pipe2", errno(state));
            }
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void setCloseOnExec(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) FCNTL.invokeExact(state, fd, F_SETFD, FD_CLOEXEC);
            if (rc < 0) {
                throw new NativeException("fcntl(F_SETFD)", errno(state));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** An empty anonymous file, closed on exec: a private scratch buffer for a library that writes to an fd. */
    public static int memfd(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) MEMFD_CREATE.invokeExact(state, arena.allocateFrom(name), MFD_CLOEXEC);
            if (fd < 0) {
                throw new NativeException("memfd_create", errno(state));
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** An anonymous file holding {@code bytes}; inheritable, so a spawned child can read it. */
    public static int memfdWith(String name, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) MEMFD_CREATE.invokeExact(state, arena.allocateFrom(name), 0);
            if (fd < 0) {
                throw new NativeException("memfd_create", errno(state));
            }
            try {
                writeFully(fd, bytes);
            } catch (RuntimeException e) {
                close(fd);
                throw e;
            }
            return fd;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void writeFully(int fd, byte[] bytes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, bytes);
            MemorySegment state = arena.allocate(CAPTURE);
            long off = 0;
            while (off < bytes.length) {
                long n = (long) WRITE.invokeExact(state, fd, buf.asSlice(off), (long) bytes.length - off);
                if (n < 0) {
                    int err = errno(state);
                    if (err == EINTR) {
                        continue;
                    }
                    throw new NativeException("write", err);
                }
                off += n;
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reads up to {@code into.length} bytes into {@code into}; 0 means end of file. */
    public static int read(int fd, byte[] into) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            MemorySegment buf = arena.allocate(into.length);
            while (true) {
                long n = (long) READ.invokeExact(state, fd, buf, (long) into.length);
                if (n >= 0) {
                    MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, into, 0, (int) n);
                    return (int) n;
                }
                int err = errno(state);
                if (err != EINTR) {
                    throw new NativeException("read", err);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static void close(int fd) {
        if (fd < 0) {
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int unused = (int) CLOSE.invokeExact(state, fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Waits up to {@code timeoutMillis} for {@code fd} to be readable or hung up; true if so. */
    public static boolean pollReadable(int fd, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pfd = arena.allocate(POLLFD);
            pfd.set(JAVA_INT, 0, fd);
            pfd.set(JAVA_SHORT, 4, (short) POLLIN);
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) POLL.invokeExact(state, pfd, 1L, timeoutMillis);
            if (rc < 0) {
                int err = errno(state);
                if (err == EINTR) {
                    return false;
                }
                throw new NativeException("poll", err);
            }
            return rc > 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reaps a child of this JVM and returns its raw wait status. */
    public static int waitpid(int pid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            MemorySegment state = arena.allocate(CAPTURE);
            while (true) {
                int rc = (int) WAITPID.invokeExact(state, pid, status, 0);
                if (rc == pid) {
                    return status.get(JAVA_INT, 0);
                }
                int err = errno(state);
                if (rc < 0 && err != EINTR) {
                    throw new NativeException("waitpid", err);
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Sends a signal; false if the process no longer exists. */
    public static boolean kill(int pid, int signal) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) KILL.invokeExact(state, pid, signal);
            return rc == 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Starts {@code path} with {@code argv} and an empty environment, inheriting every fd that is
     * not close-on-exec. No PATH search, no JDK helper process: about a third of ProcessBuilder's
     * cost per start.
     */
    public static int spawn(String path, List<String> argv) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment args = arena.allocate(ADDRESS, argv.size() + 1L);
            for (int i = 0; i < argv.size(); i++) {
                args.setAtIndex(ADDRESS, i, arena.allocateFrom(argv.get(i)));
            }
            args.setAtIndex(ADDRESS, argv.size(), MemorySegment.NULL);
            MemorySegment env = arena.allocate(ADDRESS, 1);
            env.setAtIndex(ADDRESS, 0, MemorySegment.NULL);
            MemorySegment pid = arena.allocate(JAVA_INT);
            int rc = (int) POSIX_SPAWN.invokeExact(pid, arena.allocateFrom(path),
                    MemorySegment.NULL, MemorySegment.NULL, args, env);
            if (rc != 0) {
                throw new NativeException("posix_spawn(" + path + ")", rc);
            }
            return pid.get(JAVA_INT, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
