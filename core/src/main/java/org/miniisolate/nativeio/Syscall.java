package org.miniisolate.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Every system call the JVM side makes, through one downcall: the C library's {@code syscall(2)}.
 *
 * <p>Why one: the FFM linker generates and loads a stub per distinct function shape, about 10 ms
 * each in a cold JVM (measured here: 8-15 ms per new shape, under 1 ms for a shape seen before),
 * and its first handle pays for the linker itself. A run used fifteen shapes (pipe2, write, poll,
 * openat, fstatat...), which made {@code Libc}'s eager static initialiser the biggest single cost
 * of a CLI start. Through {@code syscall} every call has the same shape, {@code long(long x 7)},
 * so one stub serves them all. Pointers travel as addresses of segments the caller keeps alive
 * for the duration of the call (a confined arena around it).
 *
 * <p>Calls return what the kernel returns; -1 means failure and {@link #errno} then says why.
 * Numbers are x86-64's ({@code asm/unistd_64.h}), the only architecture the launcher is built for.
 * posix_spawn shares the same stub (see {@link #POSIX_SPAWN} for why that is sound).
 */
@SuppressWarnings("restricted")
final class Syscall {
    static final long READ = 0;
    static final long WRITE = 1;
    static final long CLOSE = 3;
    static final long POLL = 7;
    static final long IOCTL = 16;
    static final long LSEEK = 8;
    static final long SOCKET = 41;
    static final long WAIT4 = 61;
    static final long KILL = 62;
    static final long FCNTL = 72;
    static final long GETEUID = 107;
    static final long GETEGID = 108;
    static final long MOUNT = 165;
    static final long UMOUNT2 = 166;
    static final long GETDENTS64 = 217;
    static final long OPENAT = 257;
    static final long UNSHARE = 272;
    static final long FCHOWNAT = 260;
    static final long NEWFSTATAT = 262;
    static final long UNLINKAT = 263;
    static final long FCHMODAT = 268;
    static final long PIPE2 = 293;
    static final long PRLIMIT64 = 302;
    static final long SETNS = 308;
    static final long MEMFD_CREATE = 319;

    static final int EINTR = 4;

    /** Where the linker leaves errno after a call: allocate one per call (or per arena) with {@link #state}. */
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    // A plain offset, not a VarHandle: spinning a VarHandle costs a few ms in a cold JVM.
    private static final long ERRNO_OFFSET = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));

    /**
     * The one shape: seven longs in, a long out, bound as a fixed-arity function although syscall(2)
     * is declared variadic. Linking it as variadic costs about 8 ms more (measured: 26-35 ms with
     * {@code firstVariadicArg}, 18-22 ms without), and on x86-64 System V the two conventions differ
     * only in al (the count of vector registers used), which glibc's syscall, written in assembly,
     * never reads: it moves rdi..r9 and the seventh argument from the stack into the kernel's
     * registers. (A C variadic callee built by a modern compiler only tests al to decide whether to
     * spill vector registers.)
     */
    private static final FunctionDescriptor SHAPE =
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SYSCALL;
    /**
     * posix_spawn(3) bound to the same shape, so it shares syscall's stub instead of costing a
     * second one (10-25 ms of a cold start). Sound on x86-64 System V, the only ABI this class
     * accepts: its six pointers travel in rdi, rsi, rdx, rcx, r8 and r9 like the longs, the seventh
     * long goes on the stack where posix_spawn never looks, and its int result is the low half of
     * rax, which the caller truncates to. posix_spawn returns its error instead of setting errno.
     */
    static final MethodHandle POSIX_SPAWN;

    static {
        if (!"amd64".equals(System.getProperty("os.arch")) && !"x86_64".equals(System.getProperty("os.arch"))) {
            throw new UnsupportedOperationException("mini-isolate's system call numbers are x86-64's; this JVM runs on "
                    + System.getProperty("os.arch"));
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        SYSCALL = linker.downcallHandle(libc.findOrThrow("syscall"), SHAPE, errno);
        POSIX_SPAWN = linker.downcallHandle(libc.findOrThrow("posix_spawn"), SHAPE, errno);
    }

    private Syscall() {}

    /** A segment for the errno of calls made with it. */
    static MemorySegment state(Arena arena) {
        return arena.allocate(CAPTURE);
    }

    static int errno(MemorySegment state) {
        return state.get(JAVA_INT, ERRNO_OFFSET);
    }

    static long call(MemorySegment state, long nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            return (long) SYSCALL.invokeExact(state, nr, a1, a2, a3, a4, a5, a6);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    /** posix_spawn(pid, path, file_actions, attrp, argv, envp) with addresses; 0 or an errno value. */
    static int posixSpawn(MemorySegment state, long pid, long path, long fileActions, long attrp, long argv, long envp) {
        try {
            return (int) (long) POSIX_SPAWN.invokeExact(state, pid, path, fileActions, attrp, argv, envp, 0L);
        } catch (Throwable t) {
            throw Libc.rethrow(t);
        }
    }

    static long call(MemorySegment state, long nr, long a1, long a2, long a3, long a4, long a5) {
        return call(state, nr, a1, a2, a3, a4, a5, 0);
    }

    static long call(MemorySegment state, long nr, long a1, long a2, long a3, long a4) {
        return call(state, nr, a1, a2, a3, a4, 0, 0);
    }

    static long call(MemorySegment state, long nr, long a1, long a2, long a3) {
        return call(state, nr, a1, a2, a3, 0, 0, 0);
    }

    static long call(MemorySegment state, long nr, long a1, long a2) {
        return call(state, nr, a1, a2, 0, 0, 0, 0);
    }

    static long call(MemorySegment state, long nr, long a1) {
        return call(state, nr, a1, 0, 0, 0, 0, 0);
    }

    /** A call that cannot fail (geteuid, getegid). */
    static long call(long nr) {
        try (Arena arena = Arena.ofConfined()) {
            return call(state(arena), nr, 0, 0, 0, 0, 0, 0);
        }
    }
}
