package org.miniisolate.seccomp;

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
     */
    record Available(String library, String version, int defaultFilterInstructions) implements SeccompSupport {
        @Override
        public String summary() {
            return "seccomp: active (libseccomp " + version + ", default filter " + defaultFilterInstructions
                    + " BPF instructions)";
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
