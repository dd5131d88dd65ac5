package org.miniisolate.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** mount(2) and umount2(2), for the one host-side mount the JVM makes: a box's quota filesystem. */
public final class Mounts {
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final long MS_NOEXEC = 8;
    private static final int MNT_DETACH = 2;
    private static final int UMOUNT_NOFOLLOW = 8;

    private Mounts() {}

    public static void mountTmpfs(String target, long flags, String options) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            long rc = Syscall.call(state, Syscall.MOUNT, arena.allocateFrom("mini-isolate-box").address(),
                    arena.allocateFrom(target).address(), arena.allocateFrom("tmpfs").address(), flags,
                    arena.allocateFrom(options).address(), 0);
            if (rc < 0) {
                throw new NativeException("mount tmpfs on " + target, Syscall.errno(state));
            }
        }
    }

    /** Detaches the mount at {@code target} (never following a symlink there). */
    public static void unmount(String target) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = Syscall.state(arena);
            if (Syscall.call(state, Syscall.UMOUNT2, arena.allocateFrom(target).address(), MNT_DETACH | UMOUNT_NOFOLLOW) < 0) {
                throw new NativeException("umount " + target, Syscall.errno(state));
            }
        }
    }
}
