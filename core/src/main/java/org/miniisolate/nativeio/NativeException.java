package org.miniisolate.nativeio;

/** A libc call failed; carries the call's name and errno so the message says what to fix. */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int errno;

    public NativeException(String call, int errno) {
        super(call + ": " + Libc.strerror(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
