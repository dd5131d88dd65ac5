package org.miniisolate;

/** The kinds of box a suite runs against: the same tests, the same expectations. */
public enum BoxKind {
    /** {@link Box}: namespaces, root and mounts built for each run. */
    FRESH("fresh box", false, false),
    /** {@link PooledBox}: leased from a {@link BoxPool}, built once, reset between runs. */
    POOLED("pooled box", true, false),
    /** A fresh box whose runs all use cgroups (isolate's --cg). */
    FRESH_CGROUPS("fresh box, cgroups", false, true),
    /** A pooled box whose runs all use cgroups, fresh ones for each run. */
    POOLED_CGROUPS("pooled box, cgroups", true, true);

    private final String displayName;
    private final boolean pooled;
    private final boolean cgroups;

    BoxKind(String displayName, boolean pooled, boolean cgroups) {
        this.displayName = displayName;
        this.pooled = pooled;
        this.cgroups = cgroups;
    }

    public String displayName() {
        return displayName;
    }

    public boolean pooled() {
        return pooled;
    }

    public boolean cgroups() {
        return cgroups;
    }
}
