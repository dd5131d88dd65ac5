package org.miniisolate.cli.commands;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import org.miniisolate.cgroup.CgroupLayout;
import org.miniisolate.cgroup.Controller;
import org.miniisolate.cgroup.Home;
import org.miniisolate.seccomp.SeccompSupport;

/**
 * The checks of {@code check}: this machine's cgroups, protections and judge-fairness settings, each with the
 * command that fixes it. Only reads: nothing is ever changed. Files are read below {@code root} ("/" for real),
 * so tests can check fake machines.
 */
final class MachineCheck {
    /** How one item came out. FAIL makes {@code check} exit 1; WARN and INFO do not. */
    enum Status {
        OK, FAIL, WARN, INFO, NA;

        /** As printed and as the JSON names it: ok, fail, warn, info, n/a. */
        @com.fasterxml.jackson.annotation.JsonValue
        String label() {
            return this == NA ? "n/a" : name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One checked item.
     *
     * @param section cgroups, protections, fairness or languages
     * @param name    short name
     * @param status  the outcome
     * @param detail  what was found
     * @param fix     the command (or setting) that fixes it; null when nothing needs fixing
     */
    @JsonPropertyOrder({"section", "name", "status", "detail", "fix"})
    record Item(String section, String name, Status status, String detail, String fix) {
    }

    private final Path root;

    MachineCheck(Path root) {
        this.root = root;
    }

    /** Where each controller lives; missing memory or pids fail (limits would not be enforced), others warn. */
    static List<Item> cgroups(CgroupLayout layout) {
        List<Item> out = new ArrayList<>();
        List<String> lines = layout.describe();
        out.add(new Item("cgroups", "layout", layout.kind() == CgroupLayout.Kind.NONE ? Status.FAIL : Status.INFO,
                lines.getFirst(), null));
        for (Controller c : Controller.values()) {
            Home h = layout.home(c);
            if (h instanceof Home.Missing m) {
                boolean needed = c == Controller.MEMORY || c == Controller.PIDS;
                out.add(new Item("cgroups", c.label(), needed ? Status.FAIL : Status.WARN, h.describe(), m.fix()));
            } else {
                out.add(new Item("cgroups", c.label(), Status.OK, h.describe(), null));
            }
        }
        return out;
    }

    /** Root (or rootless mode and its user namespaces), namespaces, the system call filter and quotas. */
    List<Item> protections(boolean isRoot, SeccompSupport seccomp) {
        List<Item> out = new ArrayList<>();
        out.add(new Item("protections", "root", isRoot ? Status.OK : Status.WARN, isRoot ? "running as root"
                : "not root: rootless mode (each box in a user namespace, as your own uid outside; no separate uid per box,"
                        + " no disk quotas, cgroups only in a delegated v2 subtree)", isRoot ? null : "run as root"));
        if (!isRoot) {
            Optional<String> no = org.miniisolate.launch.UserNamespaces.unavailable(root.resolve("proc/sys"));
            out.add(new Item("protections", "user-namespaces", no.isPresent() ? Status.FAIL : Status.OK,
                    no.map(s -> s.substring(0, s.indexOf(". Fix: "))).orElse("unprivileged user namespaces available"),
                    no.map(s -> s.substring(s.indexOf(". Fix: ") + ". Fix: ".length())).orElse(null)));
        }
        List<String> missing = new ArrayList<>();
        List<String> disabled = new ArrayList<>();
        for (String[] ns : new String[][] {{"pid", "pid"}, {"mnt", "mnt"}, {"net", "net"}, {"ipc", "ipc"}, {"uts", "uts"}}) {
            if (!Files.exists(root.resolve("proc/self/ns").resolve(ns[0]))) {
                missing.add(ns[0]);
            }
            Optional<String> max = read("proc/sys/user/max_" + ns[1] + "_namespaces");
            if (max.isPresent() && max.get().equals("0")) {
                disabled.add(ns[1]);
            }
        }
        if (!missing.isEmpty()) {
            out.add(new Item("protections", "namespaces", Status.FAIL, "kernel without " + String.join(", ", missing)
                    + " namespaces", "a kernel built with CONFIG_PID_NS, CONFIG_NET_NS, CONFIG_IPC_NS, CONFIG_UTS_NS"));
        } else if (!disabled.isEmpty()) {
            out.add(new Item("protections", "namespaces", Status.FAIL, "disabled: " + String.join(", ", disabled),
                    disabled.stream().map(n -> "sysctl -w user.max_" + n + "_namespaces=10000").reduce((a, b) -> a + "; " + b).orElseThrow()));
        } else {
            out.add(new Item("protections", "namespaces", Status.OK, "pid, mount, network, ipc and uts namespaces available", null));
        }
        boolean filter = seccomp instanceof SeccompSupport.Available;
        out.add(new Item("protections", "seccomp", filter ? Status.OK : Status.FAIL, seccomp.summary(),
                filter ? null : "apt-get install libseccomp2"));
        boolean tmpfs = read("proc/filesystems").map(s -> s.lines().anyMatch(l -> l.trim().endsWith("tmpfs"))).orElse(false);
        if (!isRoot) {
            out.add(new Item("protections", "quota", Status.WARN, "no disk quotas without root (the box's tmpfs is mounted on the host)",
                    "run as root"));
        } else {
            out.add(new Item("protections", "quota", tmpfs ? Status.OK : Status.FAIL,
                    tmpfs ? "disk quotas available (each box with a quota gets its own tmpfs)" : "no tmpfs: disk quotas unavailable",
                    tmpfs ? null : "a kernel with CONFIG_TMPFS"));
        }
        return out;
    }

    /** The settings isolate-check-environment asks of a judge machine, read only. */
    List<Item> fairness() {
        List<Item> out = new ArrayList<>();
        out.add(swap());
        out.add(smt());
        out.add(governor());
        out.add(boost());
        out.add(thp("enabled", "kernel/mm/transparent_hugepage/enabled"));
        out.add(thp("defrag", "kernel/mm/transparent_hugepage/defrag"));
        out.add(khugepaged());
        out.add(aslr());
        out.add(corePattern());
        out.add(hardlinks());
        return out;
    }

    private Item swap() {
        Optional<String> swaps = read("proc/swaps");
        if (swaps.isEmpty()) {
            return item("swap", Status.NA, "/proc/swaps not readable", null);
        }
        long devices = swaps.get().lines().skip(1).filter(l -> !l.isBlank()).count();
        return devices == 0 ? item("swap", Status.OK, "no swap", null)
                : item("swap", Status.FAIL, "swap is on (" + devices + " device" + (devices == 1 ? "" : "s")
                        + "): a program's memory may be swapped out, which skews time and memory", "swapoff -a");
    }

    private Item smt() {
        Optional<String> active = read("sys/devices/system/cpu/smt/active");
        if (active.isEmpty()) {
            return item("smt", Status.NA, "no SMT control in this kernel", null);
        }
        return active.get().equals("0") ? item("smt", Status.OK, "simultaneous multithreading off", null)
                : item("smt", Status.FAIL, "simultaneous multithreading (hyper-threading) on: siblings slow each other down",
                        "echo off > /sys/devices/system/cpu/smt/control");
    }

    private Item governor() {
        TreeMap<String, String> governors = new TreeMap<>();
        Path cpus = root.resolve("sys/devices/system/cpu");
        if (Files.isDirectory(cpus)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(cpus, "cpu[0-9]*")) {
                for (Path cpu : ds) {
                    Path g = cpu.resolve("cpufreq/scaling_governor");
                    if (Files.isReadable(g)) {
                        governors.put(cpu.getFileName().toString(), Files.readString(g).trim());
                    }
                }
            } catch (IOException e) {
                return item("governor", Status.NA, "cannot read the CPU list: " + e.getMessage(), null);
            }
        }
        if (governors.isEmpty()) {
            return item("governor", Status.NA, "no cpufreq scaling (typical of a VM)", null);
        }
        List<String> slow = governors.entrySet().stream().filter(e -> !e.getValue().equals("performance"))
                .map(e -> e.getKey() + "=" + e.getValue()).toList();
        return slow.isEmpty() ? item("governor", Status.OK, "every CPU uses the performance governor", null)
                : item("governor", Status.FAIL, "CPU frequency varies: " + String.join(", ", slow),
                        "for g in /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor; do echo performance > $g; done");
    }

    private Item boost() {
        Optional<String> noTurbo = read("sys/devices/system/cpu/intel_pstate/no_turbo");
        if (noTurbo.isPresent()) {
            return noTurbo.get().equals("1") ? item("turbo", Status.OK, "Intel turbo boost off", null)
                    : item("turbo", Status.FAIL, "Intel turbo boost on: speed depends on temperature and load",
                            "echo 1 > /sys/devices/system/cpu/intel_pstate/no_turbo");
        }
        Optional<String> boost = read("sys/devices/system/cpu/cpufreq/boost");
        if (boost.isPresent()) {
            return boost.get().equals("0") ? item("turbo", Status.OK, "CPU boost off", null)
                    : item("turbo", Status.FAIL, "CPU boost on: speed depends on temperature and load",
                            "echo 0 > /sys/devices/system/cpu/cpufreq/boost");
        }
        return item("turbo", Status.NA, "no turbo or boost control (typical of a VM)", null);
    }

    private Item thp(String which, String file) {
        String name = "thp-" + which;
        Optional<String> v = read("sys/" + file);
        if (v.isEmpty()) {
            return item(name, Status.NA, "no transparent huge pages", null);
        }
        String selected = selected(v.get());
        return selected.equals("never") ? item(name, Status.OK, "transparent huge pages " + which + ": never", null)
                : item(name, Status.FAIL, "transparent huge pages " + which + ": " + selected
                        + " (page faults and memory use vary from run to run)", "echo never > /sys/" + file);
    }

    private Item khugepaged() {
        String file = "kernel/mm/transparent_hugepage/khugepaged/defrag";
        Optional<String> v = read("sys/" + file);
        if (v.isEmpty()) {
            return item("khugepaged", Status.NA, "no khugepaged", null);
        }
        return v.get().equals("0") ? item("khugepaged", Status.OK, "khugepaged defragmentation off", null)
                : item("khugepaged", Status.FAIL, "khugepaged defragmentation on", "echo 0 > /sys/" + file);
    }

    private Item aslr() {
        Optional<String> v = read("proc/sys/kernel/randomize_va_space");
        if (v.isEmpty()) {
            return item("aslr", Status.NA, "kernel.randomize_va_space not readable", null);
        }
        return v.get().equals("0") ? item("aslr", Status.OK, "address space layout randomization off", null)
                : item("aslr", Status.FAIL, "address space layout randomization on (kernel.randomize_va_space = " + v.get()
                        + "): run times vary with the layout", "sysctl -w kernel.randomize_va_space=0");
    }

    private Item corePattern() {
        Optional<String> v = read("proc/sys/kernel/core_pattern");
        if (v.isEmpty()) {
            return item("core-pattern", Status.NA, "kernel.core_pattern not readable", null);
        }
        return !v.get().startsWith("|") ? item("core-pattern", Status.OK, "core dumps are not piped to a program", null)
                : item("core-pattern", Status.FAIL, "core dumps are piped to " + v.get().substring(1).split("\\s+")[0]
                        + ", which runs outside the box for every crash and ignores the core size limit",
                        "sysctl -w kernel.core_pattern=core");
    }

    private Item hardlinks() {
        Optional<String> v = read("proc/sys/fs/protected_hardlinks");
        if (v.isEmpty()) {
            return item("hardlinks", Status.NA, "fs.protected_hardlinks not readable", null);
        }
        return v.get().equals("1") ? item("hardlinks", Status.OK, "hard links to others' files are protected", null)
                : item("hardlinks", Status.FAIL, "fs.protected_hardlinks = " + v.get()
                        + ": a program could hard-link files it does not own into its box", "sysctl -w fs.protected_hardlinks=1");
    }

    /** "always [madvise] never" selects madvise. */
    static String selected(String line) {
        int a = line.indexOf('[');
        int b = line.indexOf(']', a + 1);
        return a >= 0 && b > a ? line.substring(a + 1, b) : line.trim();
    }

    private static Item item(String name, Status status, String detail, String fix) {
        return new Item("fairness", name, status, detail, fix);
    }

    private Optional<String> read(String relative) {
        try {
            return Optional.of(Files.readString(root.resolve(relative)).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
