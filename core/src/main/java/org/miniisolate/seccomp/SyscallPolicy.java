package org.miniisolate.seccomp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which system calls a boxed program may not make, as data: compiled once per distinct policy
 * into the BPF filter the launcher installs right before exec.
 *
 * <p>The filter allows everything it does not name. Start from {@link #DEFAULT} (isolate's
 * defaults plus mini-isolate's denylist), from {@link #isolate(int)} for isolate's
 * {@code syscall_flags}, and add rules with {@link #with(SyscallRule...)}.
 *
 * @param rules          the denials, each answering an errno
 * @param nativeAbiOnly  a system call through another ABI (i386's {@code int $0x80}, x32) kills
 *                       the program with SIGSYS; when false those ABIs get the same rules
 * @param required       refuse to run when the filter cannot be built (libseccomp missing)
 *                       instead of running without it and warning once
 */
public record SyscallPolicy(List<SyscallRule> rules, boolean nativeAbiOnly, boolean required) {
    /** isolate's default {@code syscall_flags} (65535) and mini-isolate's denylist. */
    public static final SyscallPolicy DEFAULT = isolate(SyscallFlags.ALL);
    /** No filter: isolate's {@code syscall_flags = 0}. */
    public static final SyscallPolicy OFF = isolate(SyscallFlags.NONE);

    public SyscallPolicy {
        rules = List.copyOf(rules);
        // libseccomp keeps one of two rules that differ only in their errno without a word;
        // a policy saying two things about the same calls is refused here instead.
        Map<SyscallRule, SyscallRule> byCondition = new HashMap<>();
        for (SyscallRule rule : rules) {
            SyscallRule earlier = byCondition.putIfAbsent(new SyscallRule(rule.syscall(), 1, rule.when()), rule);
            if (earlier != null && earlier.errno() != rule.errno()) {
                throw new IllegalArgumentException("two rules deny " + rule.syscall() + " under the same conditions "
                        + rule.when() + " with different errors (" + Errno.name(earlier.errno()) + " and "
                        + Errno.name(rule.errno()) + "); keep one");
            }
        }
    }

    /**
     * isolate's {@code syscall_flags} semantics ({@link SyscallFlags}): each set bit turns on one
     * of isolate's restrictions, and any non-zero value also turns on the denylist of kernel
     * interfaces (mount, namespaces, ptrace, bpf...). 0 means no filter at all.
     */
    public static SyscallPolicy isolate(int flags) {
        if (flags < 0) {
            throw new IllegalArgumentException("system call flags must not be negative: " + flags);
        }
        if (flags == SyscallFlags.NONE) {
            return new SyscallPolicy(List.of(), false, false);
        }
        List<SyscallRule> r = new ArrayList<>(DefaultRules.isolate(flags));
        r.addAll(DefaultRules.kernelInterfaces());
        return new SyscallPolicy(r, SyscallFlags.isSet(flags, SyscallFlags.NATIVE_ABI_ONLY), false);
    }

    /** Whether a run under this policy gets a filter at all. */
    public boolean installsFilter() {
        return !rules.isEmpty() || nativeAbiOnly;
    }

    /**
     * This policy with more denials. A rule without conditions on a call overrides the
     * conditional ones on it (libseccomp keeps the broader rule); two rules with the same
     * conditions and different errors are refused.
     */
    public SyscallPolicy with(SyscallRule... more) {
        List<SyscallRule> r = new ArrayList<>(rules);
        r.addAll(List.of(more));
        return new SyscallPolicy(r, nativeAbiOnly, required);
    }

    /** This policy, refusing to run rather than running unfiltered when libseccomp is missing. */
    public SyscallPolicy requireFilter() {
        return new SyscallPolicy(rules, nativeAbiOnly, true);
    }

    /** What the compiled filter depends on: everything but {@code required}. */
    SyscallPolicy filterKey() {
        return required ? new SyscallPolicy(rules, nativeAbiOnly, false) : this;
    }

    // Hand-written for start-up, as in SyscallRule: policies are map keys on every run's path.
    @Override
    public boolean equals(Object o) {
        return o instanceof SyscallPolicy p && p.nativeAbiOnly == nativeAbiOnly && p.required == required
                && p.rules.equals(rules);
    }

    @Override
    public int hashCode() {
        return (rules.hashCode() * 31 + Boolean.hashCode(nativeAbiOnly)) * 31 + Boolean.hashCode(required);
    }
}
