package org.miniisolate.seccomp;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One denial: calls to {@code syscall} fail with {@code errno} when every test in {@code when}
 * holds (always, when it is empty). Several rules on the same call are alternatives. A denied
 * call returns an error the program can handle; nothing is killed for making it.
 *
 * @param syscall the call's name as libseccomp knows it (e.g. "clone", "fcntl64"); a call that
 *                exists only on another ABI applies when that ABI is allowed
 * @param errno   what the call returns, 1 to 4095 (see {@link Errno})
 * @param when    conditions on distinct arguments: libseccomp compares each argument at most
 *                once per rule (write "a or b" as two rules)
 * @param skipIfUnknown leave the rule out, and report it, when the installed libseccomp does not
 *                know the call: the call is newer than the library, which cannot name it (the C
 *                way is {@code #ifdef __SNR_call}). Otherwise an unknown call, typo or not, fails
 *                the compile. The default rules skip; rules you add do not unless you ask.
 */
public record SyscallRule(String syscall, int errno, List<ArgTest> when, boolean skipIfUnknown) {
    public SyscallRule {
        Objects.requireNonNull(syscall);
        if (!isName(syscall)) {
            throw new IllegalArgumentException("'" + syscall + "' is not a system call name");
        }
        if (errno < 1 || errno > 4095) {
            throw new IllegalArgumentException("errno for " + syscall + " must be 1 to 4095, not " + errno);
        }
        when = List.copyOf(when);
        Set<Integer> args = new HashSet<>();
        for (ArgTest t : when) {
            if (!args.add(t.arg())) {
                throw new IllegalArgumentException("the rule for " + syscall + " tests argument " + t.arg()
                        + " twice; libseccomp cannot, so split it into alternative rules");
            }
        }
    }

    /**
     * {@code [a-z_][a-z0-9_]*}, checked by hand: every CLI run builds the default rules, and this was
     * the only regular expression on its path (the regex engine's first use costs about a millisecond).
     */
    private static boolean isName(String s) {
        if (s.isEmpty() || (s.charAt(0) >= '0' && s.charAt(0) <= '9')) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') && c != '_') {
                return false;
            }
        }
        return true;
    }

    public SyscallRule(String syscall, int errno, List<ArgTest> when) {
        this(syscall, errno, when, false);
    }

    /** {@code syscall} always fails with {@code errno}. */
    public static SyscallRule deny(String syscall, int errno) {
        return new SyscallRule(syscall, errno, List.of());
    }

    /** {@code syscall} fails with {@code errno} when every test holds. */
    public static SyscallRule deny(String syscall, int errno, ArgTest... when) {
        return new SyscallRule(syscall, errno, List.of(when));
    }

    /** The same denial answering another errno. */
    public SyscallRule withErrno(int otherErrno) {
        return new SyscallRule(syscall, otherErrno, when, skipIfUnknown);
    }

    /** The same denial, left out where the installed libseccomp does not know the call. */
    public SyscallRule skippedIfUnknown() {
        return new SyscallRule(syscall, errno, when, true);
    }

    // Written out rather than generated: a record's own equals/hashCode bootstrap
    // java.lang.runtime.ObjectMethods on first use, about 15 ms of every CLI start (policies are
    // hashed on the way to each run).
    @Override
    public boolean equals(Object o) {
        return o instanceof SyscallRule r && r.errno == errno && r.skipIfUnknown == skipIfUnknown
                && r.syscall.equals(syscall) && r.when.equals(when);
    }

    @Override
    public int hashCode() {
        return ((syscall.hashCode() * 31 + errno) * 31 + when.hashCode()) * 31 + Boolean.hashCode(skipIfUnknown);
    }
}
