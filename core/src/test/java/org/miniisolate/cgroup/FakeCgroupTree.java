package org.miniisolate.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A machine's cgroup mounts faked in an ordinary directory: mount points with their root files,
 * a mountinfo and a /proc/self/cgroup to match, and a {@link CgroupFs} that behaves as the
 * kernel's filesystems do where box cgroups depend on it: a new directory comes with the control
 * files of its hierarchy (v2: of the controllers its parent enables), rmdir removes those files
 * but refuses (EBUSY) while processes or children remain, {@code +controller} writes to
 * {@code cgroup.subtree_control} add to it, writing {@code cgroup.kill} empties the cgroup, and
 * v1 refuses a memory limit above the memory+swap limit.
 */
final class FakeCgroupTree implements CgroupFs {
    private static final String UNLIMITED = "9223372036854771712";

    private final Path dir;
    /** Mount point to its v1 subsystems; v2 mounts map to null. */
    private final Map<Path, Set<String>> mounts = new LinkedHashMap<>();
    private final List<String> selfLines = new ArrayList<>();
    private final List<String> writes = new ArrayList<>();

    FakeCgroupTree(Path dir) {
        this.dir = dir;
    }

    /** A v1 hierarchy with {@code subsystems}, mounted at {@code <dir>/<name>}. */
    Path v1(String name, String... subsystems) {
        Path m = dir.resolve(name);
        mounts.put(m, new LinkedHashSet<>(Arrays.asList(subsystems)));
        populate(m, false, Set.of(subsystems));
        return m;
    }

    /** The v2 tree at {@code <dir>/<name>}, its root enabling {@code controllers} for its children. */
    Path v2(String name, String... controllers) {
        Path m = dir.resolve(name);
        mounts.put(m, null);
        populate(m, true, Set.of());
        put(m.resolve("cgroup.controllers"), "cpuset cpu io memory hugetlb pids rdma misc");
        put(m.resolve("cgroup.subtree_control"), String.join(" ", controllers));
        return m;
    }

    /** A cgroup that exists already (e.g. our own), with {@code enabled} in its subtree_control. */
    Path existing(Path cgroup, String... enabled) {
        try {
            Files.createDirectories(cgroup);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        populate(cgroup, mounts.get(mountOf(cgroup)) == null, Set.of());
        put(cgroup.resolve("cgroup.subtree_control"), String.join(" ", enabled));
        return cgroup;
    }

    /** A line of /proc/self/cgroup, e.g. {@code "4:memory:/"} or {@code "0::/user.slice"}. */
    void self(String line) {
        selfLines.add(line);
    }

    Path mountinfo() {
        StringBuilder b = new StringBuilder("22 1 0:21 / / rw,relatime - ext4 /dev/vda rw\n");
        int id = 30;
        for (Map.Entry<Path, Set<String>> e : mounts.entrySet()) {
            String point = e.getKey().toString().replace(" ", "\\040");
            if (e.getValue() == null) {
                b.append(id++).append(" 22 0:").append(id).append(" / ").append(point)
                        .append(" rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate\n");
            } else {
                b.append(id++).append(" 22 0:").append(id).append(" / ").append(point)
                        .append(" rw,nosuid,nodev,noexec,relatime shared:10 - cgroup cgroup rw,")
                        .append(String.join(",", e.getValue())).append('\n');
            }
        }
        return put(dir.resolve("mountinfo"), b.toString());
    }

    Path selfCgroup() {
        return put(dir.resolve("self-cgroup"), String.join("\n", selfLines) + "\n");
    }

    CgroupDiscovery discovery(boolean root, java.util.function.Predicate<Path> writable) {
        return new CgroupDiscovery(mountinfo(), selfCgroup(), root, writable);
    }

    /** Every write this fake saw, as "file=value", in order. */
    List<String> writes() {
        return writes;
    }

    /** Puts a process into a fake cgroup (for kill and removal paths). */
    void addProcess(Path cgroup, int pid) {
        put(cgroup.resolve("cgroup.procs"), pid + "\n");
    }

    /** Sets a fake counter, as the kernel would while a program runs. */
    void set(Path file, String content) {
        put(file, content);
    }

    // CgroupFs

    @Override
    public void mkdir(Path d) throws IOException {
        Files.createDirectory(d);
        Path parent = d.getParent();
        Path mount = mountOf(d);
        boolean v2 = mounts.get(mount) == null;
        Set<String> controllers = v2 ? words(parent.resolve("cgroup.subtree_control")) : mounts.get(mount);
        populate(d, v2, controllers);
        if (v2) {
            put(d.resolve("cgroup.controllers"), String.join(" ", controllers));
        } else if (controllers.contains("cpuset")) {
            put(d.resolve("cpuset.cpus"), "");
            put(d.resolve("cpuset.mems"), "");
        }
    }

    @Override
    public void rmdir(Path d) throws IOException {
        if (!Files.isDirectory(d)) {
            throw new NoSuchFileException(d.toString());
        }
        if (!read(d.resolve("cgroup.procs")).isBlank()) {
            throw new FileSystemException(d.toString(), null, "Device or resource busy");
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path p : s) {
                if (Files.isDirectory(p)) {
                    throw new FileSystemException(d.toString(), null, "Device or resource busy");
                }
            }
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
            for (Path p : s) {
                Files.delete(p);
            }
        }
        Files.delete(d);
    }

    @Override
    public boolean exists(Path path) {
        return Files.exists(path);
    }

    @Override
    public String read(Path file) throws IOException {
        return Files.readString(file);
    }

    @Override
    public void write(Path file, String value) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        writes.add(dir.relativize(file) + "=" + value);
        String name = file.getFileName().toString();
        switch (name) {
            case "cgroup.subtree_control" -> {
                Set<String> enabled = words(file);
                Set<String> available = words(file.resolveSibling("cgroup.controllers"));
                for (String w : value.trim().split("\\s+")) {
                    String c = w.substring(1);
                    if (!available.contains(c)) {
                        throw new FileSystemException(file.toString(), null, "No such file or directory");
                    }
                    if (w.startsWith("+")) {
                        enabled.add(c);
                    } else {
                        enabled.remove(c);
                    }
                }
                put(file, String.join(" ", enabled));
            }
            case "cgroup.kill" -> put(file.resolveSibling("cgroup.procs"), "");
            case "memory.limit_in_bytes" -> {
                Path memsw = file.resolveSibling("memory.memsw.limit_in_bytes");
                if (Files.exists(memsw) && Long.parseLong(value.trim()) > Long.parseLong(read(memsw).trim())) {
                    throw new FileSystemException(file.toString(), null, "Invalid argument");
                }
                put(file, value);
            }
            case "memory.memsw.limit_in_bytes" -> {
                if (Long.parseLong(value.trim()) < Long.parseLong(read(file.resolveSibling("memory.limit_in_bytes")).trim())) {
                    throw new FileSystemException(file.toString(), null, "Invalid argument");
                }
                put(file, value);
            }
            default -> put(file, value);
        }
    }

    private Path mountOf(Path p) {
        Path best = null;
        for (Path m : mounts.keySet()) {
            if (p.startsWith(m) && (best == null || m.getNameCount() > best.getNameCount())) {
                best = m;
            }
        }
        return best;
    }

    private void populate(Path cg, boolean v2, Set<String> controllers) {
        try {
            Files.createDirectories(cg);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        put(cg.resolve("cgroup.procs"), "");
        if (v2) {
            put(cg.resolve("cgroup.subtree_control"), "");
            put(cg.resolve("cgroup.events"), "populated 0\nfrozen 0\n");
            put(cg.resolve("cgroup.freeze"), "0\n");
            put(cg.resolve("cgroup.kill"), "");
            put(cg.resolve("cpu.stat"), "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnice_usec 0\n");
            if (controllers.contains("memory")) {
                put(cg.resolve("memory.current"), "0\n");
                put(cg.resolve("memory.max"), "max\n");
                put(cg.resolve("memory.swap.max"), "max\n");
                put(cg.resolve("memory.peak"), "0\n");
                put(cg.resolve("memory.events"), "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n");
            }
            if (controllers.contains("pids")) {
                put(cg.resolve("pids.max"), "max\n");
                put(cg.resolve("pids.current"), "0\n");
            }
            if (controllers.contains("cpuset")) {
                put(cg.resolve("cpuset.cpus"), "\n");
                put(cg.resolve("cpuset.mems"), "\n");
            }
        } else {
            put(cg.resolve("tasks"), "");
            if (controllers.contains("memory")) {
                put(cg.resolve("memory.limit_in_bytes"), UNLIMITED + "\n");
                put(cg.resolve("memory.memsw.limit_in_bytes"), UNLIMITED + "\n");
                put(cg.resolve("memory.usage_in_bytes"), "0\n");
                put(cg.resolve("memory.max_usage_in_bytes"), "0\n");
                put(cg.resolve("memory.memsw.max_usage_in_bytes"), "0\n");
                put(cg.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
            }
            if (controllers.contains("pids")) {
                put(cg.resolve("pids.max"), "max\n");
            }
            if (controllers.contains("cpuacct")) {
                put(cg.resolve("cpuacct.usage"), "0\n");
            }
            if (controllers.contains("cpuset")) {
                put(cg.resolve("cpuset.cpus"), "0-1\n");
                put(cg.resolve("cpuset.mems"), "0\n");
            }
            if (controllers.contains("freezer")) {
                put(cg.resolve("freezer.state"), "THAWED\n");
            }
        }
    }

    private Set<String> words(Path file) {
        try {
            Set<String> out = new LinkedHashSet<>();
            for (String w : Files.readString(file).trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    out.add(w);
                }
            }
            return out;
        } catch (IOException e) {
            return new LinkedHashSet<>();
        }
    }

    private static Path put(Path file, String content) {
        try {
            Files.writeString(file, content);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
