package org.miniisolate.seccomp;

import java.util.List;

/**
 * A policy compiled for the installed libseccomp.
 *
 * @param bpf           the filter: an array of {@code struct sock_filter} (never handed out: copy it)
 * @param unnamedCalls  calls of {@link SyscallRule#skipIfUnknown() skippable} rules this libseccomp
 *                      does not know, so the filter lets them through
 * @param libraryVersion the version of the libseccomp that compiled it, e.g. "2.5.4"
 */
record CompiledFilter(byte[] bpf, List<String> unnamedCalls, String libraryVersion) {
    CompiledFilter {
        unnamedCalls = List.copyOf(unnamedCalls);
    }

    int instructions() {
        return bpf.length / 8; // sizeof(struct sock_filter)
    }
}
