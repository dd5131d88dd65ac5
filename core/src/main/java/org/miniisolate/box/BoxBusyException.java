package org.miniisolate.box;

/** Another process (or thread) manages this box right now. */
public final class BoxBusyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BoxBusyException(int id) {
        super("This box (" + id + ") is currently in use by another process; use --wait to wait for it");
    }
}
