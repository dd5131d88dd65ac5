package org.miniisolate;

import java.util.Objects;
import org.miniisolate.fs.Quota;

/**
 * How a box is initialized.
 *
 * @param cgroups for runs in cgroup mode (isolate's --cg): the box remembers, and runs must match
 * @param quota   a disk quota for everything the box's programs write; {@link Quota#NONE} for none
 */
public record InitOptions(boolean cgroups, Quota quota) {
    public static final InitOptions PLAIN = new InitOptions(false, Quota.NONE);

    public InitOptions {
        Objects.requireNonNull(quota);
    }
}
