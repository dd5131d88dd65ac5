package org.miniisolate.spec;

/** Options of a directory rule, as isolate's -d takes them. */
public enum DirOption {
    /** Writable; read-only otherwise. */
    RW,
    /** No program may be executed from it. */
    NOEXEC,
    /** Device nodes work (nodev otherwise). */
    DEV,
    /** A missing source is skipped instead of failing the run. */
    MAYBE,
    /** Only this mount, not the mounts below it. */
    NOREC
}
