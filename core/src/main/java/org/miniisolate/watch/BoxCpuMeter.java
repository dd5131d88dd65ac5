package org.miniisolate.watch;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time of a running box without cgroups: every process of a PID namespace descends from
 * its PID 1, so walking the box init's children in /proc finds them all. Each live process adds
 * its own time and the time of the children it reaped (cutime/cstime); the init adds only what
 * it reaped, not its own setup work. Granularity is the kernel's USER_HZ tick (10 ms).
 */
public final class BoxCpuMeter implements CpuCounter {
    /** USER_HZ: fixed at 100 by the Linux ABI on x86-64, whatever the kernel's own HZ. */
    private static final long NANOS_PER_TICK = 10_000_000L;
    private static final int MAX_PROCESSES = 1 << 16;

    private final Path proc;

    public BoxCpuMeter() {
        this(Path.of("/proc"));
    }

    BoxCpuMeter(Path proc) {
        this.proc = proc;
    }

    /** CPU nanoseconds used so far by everything in the box of {@code initPid}; races with exits undercount by at most a tick per process. */
    @Override
    public long cpuNanos(int initPid) {
        long[] ticks = stat(initPid);
        if (ticks == null) {
            return 0;
        }
        long total = ticks[2] + ticks[3];
        int[] stack = new int[64];
        int depth = 0;
        int visited = 0;
        stack[depth++] = initPid;
        while (depth > 0 && visited++ < MAX_PROCESSES) {
            int pid = stack[--depth];
            for (int child : children(pid)) {
                long[] t = stat(child);
                if (t != null) {
                    total += t[0] + t[1] + t[2] + t[3];
                }
                if (depth == stack.length) {
                    stack = java.util.Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = child;
            }
        }
        return total * NANOS_PER_TICK;
    }

    /** utime, stime, cutime, cstime in ticks; null if the process is gone. */
    private long[] stat(int pid) {
        String s;
        try {
            s = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return null;
        }
        // The command name may contain spaces and parentheses; fields start after the last ')'.
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return new long[] {Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])};
    }

    private int[] children(int pid) {
        int[] out = new int[8];
        int n = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(proc.resolve(Integer.toString(pid)).resolve("task"))) {
            for (Path task : tasks) {
                String list;
                try {
                    list = Files.readString(task.resolve("children"));
                } catch (IOException e) {
                    continue;
                }
                for (String c : list.trim().split(" ")) {
                    if (!c.isEmpty()) {
                        if (n == out.length) {
                            out = java.util.Arrays.copyOf(out, n * 2);
                        }
                        out[n++] = Integer.parseInt(c);
                    }
                }
            }
        } catch (IOException e) {
            return new int[0];
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
