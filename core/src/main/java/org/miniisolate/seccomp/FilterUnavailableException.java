package org.miniisolate.seccomp;

/** A policy requires a system call filter and none can be built on this machine. */
public final class FilterUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FilterUnavailableException(String reason, Throwable cause) {
        super("the run requires a system call filter, but none can be built: " + reason, cause);
    }
}
