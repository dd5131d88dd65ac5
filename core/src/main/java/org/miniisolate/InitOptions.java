package org.miniisolate;

import java.util.Objects;
import org.miniisolate.fs.Quota;

/**
 * How a box is initialized.
 *
 * @param cgroups for runs in cgroup mode (isolate's --cg): the box remembers, and runs must match
 * @param quota   a disk quota for everything the box's programs write; {@link Quota#NONE} for none
 * @param strict  refuse to initialize rather than go without something asked for that this
 *                machine or mode cannot give (a quota in rootless mode)
 */
public record InitOptions(boolean cgroups, Quota quota, boolean strict) {
    public static final InitOptions PLAIN = new InitOptions(false, Quota.NONE);

    public InitOptions {
        Objects.requireNonNull(quota);
    }

    /** Not strict: what cannot be had is warned about, once. */
    public InitOptions(boolean cgroups, Quota quota) {
        this(cgroups, quota, false);
    }

    public InitOptions withStrict(boolean strict) {
        return new InitOptions(cgroups, quota, strict);
    }
}
