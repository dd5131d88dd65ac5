package org.miniisolate.fs;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.Predicate;
import org.miniisolate.launch.Mount;
import org.miniisolate.launch.Mount.Flag;

/**
 * The parts of a box's proc and sysfs a judged program never needs and a hostile one could use,
 * mounted over right after the filesystem itself. A masked file is a read-only bind of /dev/null
 * (it reads as empty), a masked directory an empty read-only tmpfs; /proc/sys stays read-only
 * under a writable /proc.
 *
 * <p>The choice follows the masked paths of the OCI runtimes (runc, crun), trimmed to what a box
 * user could otherwise reach: a box never runs as root and has no capabilities, so files only
 * root may read (kmsg, kpageflags, slabinfo, vmallocinfo...) already deny it, and each mask
 * costs a mount on every run. kcore and sysrq-trigger are masked all the same: the first is the
 * machine's memory, the second reboots it.
 *
 * <p>Masks are planned only for the entries the host's own /proc (or /sys) has: the box's fresh
 * proc shows the same kernel, and a kernel without kcore (no CONFIG_PROC_KCORE) or without ACPI
 * then costs no mount at all. File masks are "maybe" binds besides, which the launcher skips if
 * the target is missing after all.
 */
public final class KernelSurfaces {
    private KernelSurfaces() {}

    /** Files of /proc replaced by an empty file, each for the reason given. */
    public static final List<String> PROC_FILES = List.of(
            "kcore",         // physical memory as an ELF core image
            "sysrq-trigger", // one written byte syncs, reboots or crashes the machine
            "kallsyms",      // kernel symbols (and their addresses where kptr_restrict lets them through): KASLR
            "keys",          // keyrings visible to the reader
            "key-users",     // every host uid that holds keys, with its quota use (world-readable)
            "timer_list",    // every pending timer with the pid and name of the host task that armed it
            "timer_stats",   // the same, on kernels before 4.11 (world-readable)
            "sched_debug",   // every task of the host, names and pids, across PID namespaces (before 5.13)
            "latency_stats"); // per-task latency records, and a switch to turn recording on

    /** Directories of /proc replaced by an empty one: hardware state, partly writable by root. */
    public static final List<String> PROC_DIRECTORIES = List.of(
            "acpi",    // ACPI state; wakeup sources are writable
            "asound",  // the host's sound cards
            "scsi");   // writing "scsi add-single-device" rescans host buses

    /** Directories of /proc kept read-only when /proc itself is mounted writable (by default all of /proc is read-only). */
    public static final List<String> PROC_READ_ONLY = List.of("sys");

    /** Sysfs directories replaced by an empty one, when a rule mounts sysfs at all (it is absent by default). */
    public static final List<String> SYSFS_DIRECTORIES = List.of(
            "firmware",                 // ACPI tables, EFI variables, DMI serial numbers
            "devices/virtual/powercap", // RAPL energy counters: a side channel on other tenants' work
            "kernel/security",          // LSM policy interfaces
            "kernel/debug");            // debugfs mount point

    private static final Path HOST_PROC = Path.of("/proc");
    private static final Path HOST_SYSFS = Path.of("/sys");

    /** The masks for a filesystem of {@code type} mounted at {@code inside}, read-only or not; none for other types. */
    static List<Mount> over(String type, String inside, boolean writable) {
        return switch (type) {
            case "proc" -> overProc(inside, writable, name -> Files.exists(HOST_PROC.resolve(name), LinkOption.NOFOLLOW_LINKS));
            case "sysfs" -> overSysfs(inside, name -> Files.isDirectory(HOST_SYSFS.resolve(name), LinkOption.NOFOLLOW_LINKS));
            default -> List.of();
        };
    }

    /**
     * The masks for a proc filesystem mounted at {@code inside} (relative to the box root).
     *
     * @param present whether this kernel's proc has an entry (checked at every run: loading a
     *                sound or SCSI module adds one)
     */
    public static List<Mount> overProc(String inside, boolean writable, Predicate<String> present) {
        List<Mount> m = new ArrayList<>();
        for (String f : PROC_FILES) {
            if (present.test(f)) {
                m.add(Mount.bind("/dev/null", inside + "/" + f,
                        EnumSet.of(Flag.READ_ONLY, Flag.NO_SUID, Flag.NO_EXEC, Flag.MAYBE, Flag.AS_CALLER)));
            }
        }
        for (String d : PROC_DIRECTORIES) {
            if (present.test(d)) {
                m.add(emptyDirectory(inside + "/" + d));
            }
        }
        if (writable) {
            for (String d : PROC_READ_ONLY) {
                m.add(Mount.restrict(inside + "/" + d, EnumSet.of(Flag.READ_ONLY, Flag.NO_SUID, Flag.NO_DEV, Flag.NO_EXEC)));
            }
        }
        return m;
    }

    /** The masks for a sysfs mounted at {@code inside}; {@code present} as for {@link #overProc}. */
    public static List<Mount> overSysfs(String inside, Predicate<String> present) {
        List<Mount> m = new ArrayList<>();
        for (String d : SYSFS_DIRECTORIES) {
            if (present.test(d)) {
                m.add(emptyDirectory(inside + "/" + d));
            }
        }
        return m;
    }

    private static Mount emptyDirectory(String target) {
        return Mount.filesystem("tmpfs", target, "size=4k,nr_inodes=1,mode=0555",
                EnumSet.of(Flag.READ_ONLY, Flag.NO_SUID, Flag.NO_DEV, Flag.NO_EXEC));
    }
}
