package org.miniisolate.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.List;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import org.miniisolate.nativeio.Libc;

/**
 * Starts a command the way a C driver would (posix_spawn, no JDK helper process, no shell), with its standard
 * streams on /dev/null and exactly the environment given, and waits for it. ProcessBuilder would add about 1.3 ms
 * per start (it execs jspawnhelper first), a third of isolate's own --run: too much to compare fairly.
 */
@SuppressWarnings("restricted")
final class Spawner {
    private static final int O_RDONLY = 0;
    private static final int O_WRONLY = 1;
    private static final long FILE_ACTIONS_BYTES = 256; // posix_spawn_file_actions_t is 80 bytes on glibc x86-64

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MethodHandle SPAWN = LINKER.downcallHandle(LIBC.findOrThrow("posix_spawn"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle ACTIONS_INIT = LINKER.downcallHandle(LIBC.findOrThrow("posix_spawn_file_actions_init"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_OPEN = LINKER.downcallHandle(
            LIBC.findOrThrow("posix_spawn_file_actions_addopen"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACTIONS_DESTROY = LINKER.downcallHandle(
            LIBC.findOrThrow("posix_spawn_file_actions_destroy"), FunctionDescriptor.of(JAVA_INT, ADDRESS));

    private Spawner() {
    }

    /** Runs {@code argv} (argv[0] is the path; no PATH search) and returns its raw wait status. */
    static int run(List<String> argv, Map<String, String> env) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment args = strings(arena, argv);
            MemorySegment envp = strings(arena, env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            MemorySegment path = arena.allocateFrom(argv.get(0));
            MemorySegment devNull = arena.allocateFrom("/dev/null");
            MemorySegment actions = arena.allocate(FILE_ACTIONS_BYTES, 16);
            MemorySegment pid = arena.allocate(JAVA_INT);
            check("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(actions));
            try {
                check("addopen", (int) ACTIONS_OPEN.invokeExact(actions, 0, devNull, O_RDONLY, 0));
                check("addopen", (int) ACTIONS_OPEN.invokeExact(actions, 1, devNull, O_WRONLY, 0));
                check("addopen", (int) ACTIONS_OPEN.invokeExact(actions, 2, devNull, O_WRONLY, 0));
                check("posix_spawn " + argv.get(0),
                        (int) SPAWN.invokeExact(pid, path, actions, MemorySegment.NULL, args, envp));
            } finally {
                int unused = (int) ACTIONS_DESTROY.invokeExact(actions);
            }
            return Libc.waitpid(pid.get(JAVA_INT, 0));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The exit code of a wait status, or 128 + signal for a killed process. */
    static int exitCode(int status) {
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }

    private static MemorySegment strings(Arena arena, List<String> list) {
        MemorySegment array = arena.allocate(ADDRESS, list.size() + 1L);
        for (int i = 0; i < list.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(list.get(i)));
        }
        array.setAtIndex(ADDRESS, list.size(), MemorySegment.NULL);
        return array;
    }

    private static void check(String what, int rc) {
        if (rc != 0) {
            throw new IllegalStateException(what + " failed: " + Libc.strerror(rc));
        }
    }
}
