package org.miniisolate.cgroup;

/** A box cgroup could not be created, limited, read or removed; the message names the file and the reason. */
public final class CgroupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CgroupException(String message) {
        super(message);
    }

    public CgroupException(String message, Throwable cause) {
        super(message, cause);
    }
}
