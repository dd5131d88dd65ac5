package org.miniisolate.nativeio;

/**
 * A libc call failed; carries the call's name and errno so the message says what to fix.
 *
 * <p>The message ("call: No such file or directory") is made when first asked for, not when the
 * exception is thrown: callers that handle an expected errno (a tree walk meeting ENOENT) never
 * need it, and strerror's downcall is linked on first use, about 8 ms of a cold CLI start.
 */
public final class NativeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private transient volatile String message;

    public NativeException(String call, int errno) {
        super(call);
        this.call = call;
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    @Override
    public String getMessage() {
        String m = message;
        if (m == null) {
            m = call + ": " + Libc.strerror(errno);
            message = m;
        }
        return m;
    }
}
