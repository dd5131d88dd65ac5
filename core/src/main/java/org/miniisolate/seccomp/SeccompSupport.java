package org.miniisolate.seccomp;

import java.util.List;

/** Whether this machine can filter system calls: what {@code check} reports and the CLI warns about. */
public sealed interface SeccompSupport permits SeccompSupport.Available, SeccompSupport.Unavailable {
    /** One line for people, e.g. for {@code check}. */
    String summary();

    /**
     * libseccomp loaded and compiled the default policy.
     *
     * @param library                   the library as named when loading it
     * @param version                   its version, e.g. "2.5.4"
     * @param defaultFilterInstructions size of the default policy's filter, in BPF instructions
     * @param unnamedCalls              calls of the default policy this libseccomp is too old to
     *                                  know: the filter lets them through
     */
    record Available(String library, String version, int defaultFilterInstructions, List<String> unnamedCalls)
            implements SeccompSupport {
        public Available {
            unnamedCalls = List.copyOf(unnamedCalls);
        }

        @Override
        public String summary() {
            return "seccomp: active (libseccomp " + version + ", default filter " + defaultFilterInstructions
                    + " BPF instructions)"
                    + (unnamedCalls.isEmpty() ? "" : "; this libseccomp cannot filter " + String.join(", ", unnamedCalls));
        }
    }

    /** No filter can be built; runs go unfiltered unless their policy requires one. */
    record Unavailable(String reason) implements SeccompSupport {
        @Override
        public String summary() {
            return "seccomp: NOT available: " + reason;
        }

        /** The line to print once when runs go ahead without a filter. */
        public String warning() {
            return "Warning: programs run WITHOUT a system call filter: " + reason;
        }
    }
}
