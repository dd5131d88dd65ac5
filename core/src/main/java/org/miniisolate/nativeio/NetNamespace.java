package org.miniisolate.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Network namespaces made by one JVM thread for a box to join later: unshare(CLONE_NEWNET)
 * moves only the calling thread (allowed in a multithreaded process, unlike a new user
 * namespace), so a dedicated thread can make one, keep a descriptor to it and go back home.
 */
public final class NetNamespace {
    private static final long CLONE_NEWNET = 0x40000000L;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;
    private static final int SIOCGIFFLAGS = 0x8913;
    private static final int SIOCSIFFLAGS = 0x8914;
    private static final short IFF_UP = 0x1;
    private static final short IFF_RUNNING = 0x40;
    private static final long IFREQ_BYTES = 40; // struct ifreq: char name[16], then a union holding short flags
    private static final long IFREQ_FLAGS = 16;

    private NetNamespace() {}

    /** The calling thread's own network namespace (close-on-exec). */
    public static int openCurrent() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            long fd = Syscall.call(state, Syscall.OPENAT, DirFd.AT_FDCWD, arena.allocateFrom("/proc/thread-self/ns/net").address(),
                    Libc.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeException("open(/proc/thread-self/ns/net)", Syscall.errno(state));
            }
            return (int) fd;
        }
    }

    /**
     * A new network namespace with its loopback up, which no process has ever been in: made by the
     * calling thread, which then returns to {@code home} (its namespace before, from
     * {@link #openCurrent}). Returns its descriptor, close-on-exec.
     *
     * @throws IllegalStateException when the thread could not return home: it must not run
     *                               anything else after that
     */
    public static int makeFresh(int home) {
        call("unshare(CLONE_NEWNET)", Syscall.UNSHARE, CLONE_NEWNET, 0);
        int fd = -1;
        RuntimeException failure = null;
        try {
            fd = openCurrent();
            bringUpLoopback();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            call("setns(home, CLONE_NEWNET)", Syscall.SETNS, home, CLONE_NEWNET);
        } catch (NativeException e) {
            Libc.close(fd);
            throw new IllegalStateException("a thread could not return to its own network namespace: " + e.getMessage(), e);
        }
        if (failure != null) {
            Libc.close(fd);
            throw failure;
        }
        return fd;
    }

    /** As the launcher does for a namespace it makes itself: lo up, nothing else configured. */
    private static void bringUpLoopback() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            long s = Syscall.call(state, Syscall.SOCKET, AF_INET, SOCK_DGRAM | Libc.O_CLOEXEC, 0);
            if (s < 0) {
                throw new NativeException("socket", Syscall.errno(state));
            }
            try {
                MemorySegment ifr = arena.allocate(IFREQ_BYTES, 8);
                ifr.setString(0, "lo");
                ioctl(state, s, SIOCGIFFLAGS, ifr);
                ifr.set(JAVA_SHORT, IFREQ_FLAGS, (short) (ifr.get(JAVA_SHORT, IFREQ_FLAGS) | IFF_UP | IFF_RUNNING));
                ioctl(state, s, SIOCSIFFLAGS, ifr);
            } finally {
                Libc.close((int) s);
            }
        }
    }

    private static void ioctl(MemorySegment state, long fd, int request, MemorySegment arg) {
        if (Syscall.call(state, Syscall.IOCTL, fd, request, arg.address()) < 0) {
            throw new NativeException("ioctl(lo, " + Integer.toHexString(request) + ")", Syscall.errno(state));
        }
    }

    private static void call(String what, long nr, long a1, long a2) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, nr, a1, a2) < 0) {
                throw new NativeException(what, Syscall.errno(state));
            }
        }
    }
}
