package org.miniisolate.seccomp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import org.miniisolate.nativeio.Libseccomp;
import org.miniisolate.nativeio.SeccompFilter;
import org.miniisolate.nativeio.SeccompFilter.Comparison;
import org.miniisolate.nativeio.SeccompFilter.Op;

/** Turns a {@link SyscallPolicy} into classic BPF with libseccomp. Costs a few milliseconds: cache the result. */
final class BpfCompiler {
    private final Libseccomp lib;

    BpfCompiler(Libseccomp lib) {
        this.lib = lib;
    }

    Libseccomp library() {
        return lib;
    }

    /**
     * The filter for {@code policy}.
     *
     * @throws IllegalArgumentException if a rule that must not be skipped names a call libseccomp
     *                                  does not know, or libseccomp refuses a rule
     */
    CompiledFilter compile(SyscallPolicy policy) {
        List<String> unnamed = new ArrayList<>();
        try (SeccompFilter filter = lib.newFilter(Libseccomp.ACT_ALLOW)) {
            // A call through an ABI the filter does not cover would reach a syscall table no rule
            // was written for; kill the whole process (not just the thread, which could leave the
            // rest of the program running without telling anyone).
            filter.setBadArchAction(Libseccomp.ACT_KILL_PROCESS);
            // Installing the filter costs the box about 0.06-0.1 ms less this way (docs/performance.md).
            filter.useBinaryTree();
            if (!policy.nativeAbiOnly() && lib.nativeArch() == Libseccomp.ARCH_X86_64) {
                // Architectures before rules: libseccomp translates each rule for the ones present.
                filter.addArch(Libseccomp.ARCH_X86);
                filter.addArch(Libseccomp.ARCH_X32);
            }
            Set<SyscallRule> added = new HashSet<>();
            for (SyscallRule rule : policy.rules()) {
                if (!added.add(new SyscallRule(rule.syscall(), rule.errno(), rule.when()))) {
                    continue; // the same denial twice (the policy refuses two errnos for one condition)
                }
                OptionalInt found = lib.findSyscall(rule.syscall());
                if (found.isEmpty()) {
                    if (!rule.skipIfUnknown()) {
                        throw new IllegalArgumentException("libseccomp " + lib.version() + " knows no system call named '"
                                + rule.syscall() + "': check the name, or install a newer libseccomp");
                    }
                    if (!unnamed.contains(rule.syscall())) {
                        unnamed.add(rule.syscall());
                    }
                    continue;
                }
                int nr = found.getAsInt();
                if (nr < -1 && policy.nativeAbiOnly()) {
                    continue; // exists only on an ABI this filter kills anyway (e.g. fcntl64)
                }
                try {
                    filter.addRule(Libseccomp.actErrno(rule.errno()), nr, comparisons(rule.when()));
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException("cannot add " + rule + " to the system call filter ("
                            + e.getMessage() + "); does it conflict with another rule on " + rule.syscall() + "?", e);
                }
            }
            return new CompiledFilter(filter.exportBpf(), unnamed, lib.version());
        }
    }

    private static List<Comparison> comparisons(List<ArgTest> tests) {
        List<Comparison> c = new ArrayList<>(tests.size());
        for (ArgTest t : tests) {
            c.add(switch (t) {
                case ArgTest.Equals e -> new Comparison(e.arg(), Op.EQ, e.value(), 0);
                case ArgTest.MaskedEquals m -> new Comparison(m.arg(), Op.MASKED_EQ, m.mask(), m.value());
            });
        }
        return c;
    }
}
