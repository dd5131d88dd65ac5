package org.miniisolate.fs;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** mkdirat for tests that build trees deeper than any path can name. */
@SuppressWarnings("restricted")
final class TestMkdir {
    private static final MethodHandle MKDIRAT = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().findOrThrow("mkdirat"),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private TestMkdir() {}

    static void mkdirat(int dirFd, byte[] name) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(name.length + 1L);
            MemorySegment.copy(name, 0, s, ValueLayout.JAVA_BYTE, 0, name.length);
            int rc = (int) MKDIRAT.invokeExact(dirFd, s, 0755);
            if (rc != 0) {
                throw new IllegalStateException("mkdirat failed");
            }
        }
    }
}
