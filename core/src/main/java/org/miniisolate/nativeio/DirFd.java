package org.miniisolate.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Descriptor-relative file operations (openat, fstatat, unlinkat, fchownat, readdir) for walking
 * trees a hostile program built: every call names one entry inside an already open directory,
 * never a path, so no symlink can redirect it and no path is ever too long.
 */
public final class DirFd {
    public static final int AT_FDCWD = -100;
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000;
    private static final int O_NOFOLLOW = 0x20000;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final int AT_REMOVEDIR = 0x200;
    private static final int S_IFMT = 0xF000;
    private static final int S_IFDIR = 0x4000;
    private static final int S_IFREG = 0x8000;
    private static final long STAT_BYTES = 144;   // struct stat on x86-64

    private static final long DIRENT_BUFFER = 8 * 1024; // getdents64 refills it as often as needed

    /** What fstatat tells about one entry, without following it if it is a symlink. */
    public record Stat(long device, long inode, long links, int mode, int uid, int gid) {
        public boolean isDirectory() {
            return (mode & S_IFMT) == S_IFDIR;
        }

        public boolean isRegularFile() {
            return (mode & S_IFMT) == S_IFREG;
        }
    }

    private DirFd() {}

    /** A NUL-terminated copy of a raw name: names are bytes to the kernel, not necessarily UTF-8. */
    private static MemorySegment cName(Arena arena, byte[] name) {
        MemorySegment s = arena.allocate(name.length + 1L);
        MemorySegment.copy(name, 0, s, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, name.length);
        return s;
    }

    /** A name as people read it, for messages only. */
    public static String printable(byte[] name) {
        return new String(name, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Opens directory {@code name} inside {@code dirFd} (or a path with {@link #AT_FDCWD}); refuses a symlink. */
    public static int openDirectory(int dirFd, byte[] name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            long fd = Syscall.call(state, Syscall.OPENAT, dirFd, cName(arena, name).address(),
                    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | Libc.O_CLOEXEC, 0);
            if (fd < 0) {
                throw new NativeException("open(" + printable(name) + ")", Syscall.errno(state));
            }
            return (int) fd;
        }
    }

    public static Stat stat(int dirFd, byte[] name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(STAT_BYTES, 8);
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.NEWFSTATAT, dirFd, cName(arena, name).address(), st.address(), AT_SYMLINK_NOFOLLOW) < 0) {
                throw new NativeException("stat(" + printable(name) + ")", Syscall.errno(state));
            }
            return new Stat(st.get(JAVA_LONG, 0), st.get(JAVA_LONG, 8), st.get(JAVA_LONG, 16),
                    st.get(JAVA_INT, 24), st.get(JAVA_INT, 28), st.get(JAVA_INT, 32));
        }
    }

    /** Removes entry {@code name} of {@code dirFd}: a file, a symlink itself, or an empty directory. */
    public static void unlink(int dirFd, byte[] name, boolean directory) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.UNLINKAT, dirFd, cName(arena, name).address(), directory ? AT_REMOVEDIR : 0) < 0) {
                throw new NativeException("unlink(" + printable(name) + ")", Syscall.errno(state));
            }
        }
    }

    /** Changes the owner of entry {@code name} itself (a symlink's own owner, never its target's). */
    public static void chown(int dirFd, byte[] name, int uid, int gid) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            // uid and gid as the kernel's 32-bit uid_t/gid_t: -1 (keep) must stay 0xffffffff, not sign-extend.
            if (Syscall.call(state, Syscall.FCHOWNAT, dirFd, cName(arena, name).address(), Integer.toUnsignedLong(uid),
                    Integer.toUnsignedLong(gid), AT_SYMLINK_NOFOLLOW) < 0) {
                throw new NativeException("chown(" + printable(name) + ")", Syscall.errno(state));
            }
        }
    }

    /**
     * Changes the permission bits of directory {@code name} of {@code dirFd}. fchmodat has no
     * no-follow flag: call it only for an entry just seen to be a directory, in a tree nothing
     * else changes meanwhile (a box between runs).
     */
    public static void chmodDirectory(int dirFd, byte[] name, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.FCHMODAT, dirFd, cName(arena, name).address(), mode & 07777) < 0) {
                throw new NativeException("chmod(" + printable(name) + ")", Syscall.errno(state));
            }
        }
    }

    /**
     * The names in a directory, without "." and "..", as the raw bytes the kernel holds. Reads
     * with getdents64 from the start: its end and its errors are unambiguous, unlike readdir's.
     */
    public static List<byte[]> list(int dirFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.LSEEK, dirFd, 0, 0) < 0) {
                throw new NativeException("lseek", Syscall.errno(state));
            }
            MemorySegment buf = arena.allocate(DIRENT_BUFFER, 8);
            List<byte[]> names = new ArrayList<>();
            while (true) {
                long n = Syscall.call(state, Syscall.GETDENTS64, dirFd, buf.address(), DIRENT_BUFFER);
                if (n < 0) {
                    throw new NativeException("getdents64", Syscall.errno(state));
                }
                if (n == 0) {
                    return names;
                }
                // struct linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, char name[]
                for (long at = 0; at < n; ) {
                    int reclen = Short.toUnsignedInt(buf.get(java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED, at + 16));
                    long nameAt = at + 19;
                    long len = 0;
                    while (nameAt + len < at + reclen && buf.get(java.lang.foreign.ValueLayout.JAVA_BYTE, nameAt + len) != 0) {
                        len++;
                    }
                    byte[] name = buf.asSlice(nameAt, len).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
                    boolean dots = (len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.');
                    if (!dots) {
                        names.add(name);
                    }
                    at += reclen;
                }
            }
        }
    }
}
