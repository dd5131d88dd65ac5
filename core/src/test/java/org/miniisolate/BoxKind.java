package org.miniisolate;

/** The two kinds of box a suite runs against: the same tests, the same expectations. */
public enum BoxKind {
    /** {@link Box}: namespaces, root and mounts built for each run. */
    FRESH("fresh box"),
    /** {@link PooledBox}: leased from a {@link BoxPool}, built once, reset between runs. */
    POOLED("pooled box");

    private final String displayName;

    BoxKind(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
