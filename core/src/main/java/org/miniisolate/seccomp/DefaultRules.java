package org.miniisolate.seccomp;

import static org.miniisolate.seccomp.Errno.EAFNOSUPPORT;
import static org.miniisolate.seccomp.Errno.ENOSYS;
import static org.miniisolate.seccomp.Errno.EPERM;

import java.util.ArrayList;
import java.util.List;

/**
 * The rules behind {@link SyscallPolicy#isolate(int)}: isolate's flag bits, and the kernel
 * interfaces a submitted program never needs. docs/security.md has the same table in prose;
 * change both together.
 */
final class DefaultRules {
    private static final int AF_VSOCK = 40;

    /** fcntl commands that take a lock, a lease or a directory notification (isolate's list). */
    private static final long[] LOCKING_FCNTL = {
        6, 7, // F_SETLK, F_SETLKW
        37, 38, // F_OFD_SETLK, F_OFD_SETLKW
        1024, // F_SETLEASE
        1026, // F_NOTIFY
    };
    /** i386's F_SETLK64 and F_SETLKW64, which its C library passes to fcntl64. */
    private static final long[] LOCKING_FCNTL64_ONLY = {13, 14};

    /** Every CLONE_NEW* bit clone(2) takes in its first argument (CLONE_NEWTIME is clone3/unshare only). */
    private static final long[] CLONE_NEW = {
        0x00020000L, // CLONE_NEWNS
        0x02000000L, // CLONE_NEWCGROUP
        0x04000000L, // CLONE_NEWUTS
        0x08000000L, // CLONE_NEWIPC
        0x10000000L, // CLONE_NEWUSER
        0x20000000L, // CLONE_NEWPID
        0x40000000L, // CLONE_NEWNET
    };

    private static final List<SyscallRule> KERNEL_INTERFACES = kernelInterfaceRules();

    private DefaultRules() {}

    /** The rules isolate's {@code syscall_flags} bits turn on (bit 16 is not a rule: see {@link SyscallPolicy}). */
    static List<SyscallRule> isolate(int flags) {
        List<SyscallRule> r = new ArrayList<>();
        addIsolateRules(flags, r);
        return skippedIfUnknown(r);
    }

    private static void addIsolateRules(int flags, List<SyscallRule> r) {
        if (SyscallFlags.isSet(flags, SyscallFlags.KEYRINGS)) {
            // isolate denies keyctl; the two calls that create keys go with it, so the program sees
            // one consistent "no keyrings in this kernel" rather than half a facility.
            for (String call : List.of("keyctl", "add_key", "request_key")) {
                r.add(SyscallRule.deny(call, ENOSYS));
            }
        }
        if (SyscallFlags.isSet(flags, SyscallFlags.VSOCK)) {
            r.add(SyscallRule.deny("socket", EAFNOSUPPORT, ArgTest.equal(0, AF_VSOCK)));
        }
        if (SyscallFlags.isSet(flags, SyscallFlags.FILE_LOCKS)) {
            for (long cmd : LOCKING_FCNTL) {
                r.add(SyscallRule.deny("fcntl", EPERM, ArgTest.equal(1, cmd)));
                r.add(SyscallRule.deny("fcntl64", EPERM, ArgTest.equal(1, cmd)));
            }
            for (long cmd : LOCKING_FCNTL64_ONLY) {
                r.add(SyscallRule.deny("fcntl64", EPERM, ArgTest.equal(1, cmd)));
            }
            r.add(SyscallRule.deny("flock", ENOSYS));
        }
        if (SyscallFlags.isSet(flags, SyscallFlags.IO_URING)) {
            for (String call : List.of("io_uring_setup", "io_uring_enter", "io_uring_register")) {
                r.add(SyscallRule.deny(call, ENOSYS));
            }
        }
    }

    /** mini-isolate's denylist: on whenever the filter is. */
    static List<SyscallRule> kernelInterfaces() {
        return KERNEL_INTERFACES;
    }

    private static List<SyscallRule> kernelInterfaceRules() {
        List<SyscallRule> r = new ArrayList<>();
        // The box's filesystem view is the launcher's to build; with a user namespace a program
        // could otherwise mount and pivot on its own. The new mount API (fsopen...) and i386's
        // umount are the same door.
        denyAll(r, EPERM, "mount", "umount2", "umount", "fsopen", "fsconfig", "fsmount", "fspick",
                "move_mount", "open_tree", "mount_setattr", "pivot_root", "chroot");
        // New namespaces, above all a user namespace, hand the program every capability inside
        // them and with it kernel code unprivileged users otherwise never reach.
        denyAll(r, EPERM, "unshare", "setns");
        for (long bit : CLONE_NEW) {
            r.add(SyscallRule.deny("clone", EPERM, ArgTest.allBitsSet(0, bit)));
        }
        // clone3 passes its flags in memory, where the filter cannot look. ENOSYS makes the C
        // library fall back to clone (glibc does, for threads and fork), which the rules above see.
        r.add(SyscallRule.deny("clone3", ENOSYS));
        // Reading or steering another process, even one of the same box.
        denyAll(r, EPERM, "ptrace", "process_vm_readv", "process_vm_writev");
        // The kernel itself: loading code or kernels, eBPF, performance counters, and
        // userfaultfd, whose stalls make kernel races easy to win.
        denyAll(r, EPERM, "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
                "bpf", "perf_event_open", "userfaultfd");
        // File handles bypass path permissions; fanotify watches whole filesystems.
        denyAll(r, EPERM, "open_by_handle_at", "name_to_handle_at", "fanotify_init");
        // Machine-wide state: swap, reboot, clocks (i386's 64-bit-time variants and stime too),
        // process accounting, quotas, profiling, I/O ports.
        denyAll(r, EPERM, "swapon", "swapoff", "reboot", "settimeofday", "stime", "clock_settime",
                "clock_settime64", "clock_adjtime", "clock_adjtime64", "adjtimex", "acct", "quotactl",
                "quotactl_fd", "lookup_dcookie", "iopl", "ioperm");
        r.addAll(personalityChanges());
        return skippedIfUnknown(r);
    }

    /**
     * A libseccomp older than a call cannot name it: the default rules then leave it out (and
     * {@link SyscallFilters#support()} lists it) rather than failing every run. Such a call is
     * usually newer than the kernel too.
     */
    private static List<SyscallRule> skippedIfUnknown(List<SyscallRule> rules) {
        return rules.stream().map(SyscallRule::skippedIfUnknown).toList();
    }

    /**
     * personality(x) for every x but 0 (PER_LINUX, the default) and 0xffffffff (the query):
     * other values turn off address-space randomisation (ADDR_NO_RANDOMIZE), make data
     * executable (READ_IMPLIES_EXEC) or map page zero. "Neither 0 nor all ones" needs two tests
     * of one argument, which libseccomp refuses, so it is spelled as alternatives: some bit i is
     * set while bit i+1 (wrapping round) is clear, true exactly for the 32-bit values that are
     * neither all zeros nor all ones. The kernel reads the argument as 32 bits, so the upper
     * half is ignored here too.
     */
    private static List<SyscallRule> personalityChanges() {
        List<SyscallRule> r = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            long set = 1L << i;
            long clear = 1L << ((i + 1) % 32);
            r.add(SyscallRule.deny("personality", EPERM, new ArgTest.MaskedEquals(0, set | clear, set)));
        }
        return r;
    }

    private static void denyAll(List<SyscallRule> r, int errno, String... calls) {
        for (String call : calls) {
            r.add(SyscallRule.deny(call, errno));
        }
    }
}
