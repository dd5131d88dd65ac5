package org.miniisolate.launch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.miniisolate.nativeio.Libc;

/**
 * Rootless mode's ceiling on limits: in a user namespace no hard rlimit can be raised, so the
 * launcher caps a value above the caller's own hard limit at it (see launcher-protocol.md). This
 * names each limit that will be capped, so the caller hears it instead of a program silently
 * getting less than it was given.
 */
public final class RlimitCeiling {
    private RlimitCeiling() {}

    /** One message per limit of {@code limits} above this process's own hard limit. */
    public static List<String> capped(List<Rlimit> limits) {
        return capped(limits, r -> Libc.hardLimit(r.number()));
    }

    /** @param hardOf the caller's hard limit of a resource, unsigned, -1 for none */
    static List<String> capped(List<Rlimit> limits, ToLongFunction<Rlimit.Resource> hardOf) {
        List<String> out = new ArrayList<>();
        for (Rlimit r : limits) {
            if (r.hard() == Rlimit.INFINITY) {
                continue; // "none" already means as much as the caller may have
            }
            long own = hardOf.applyAsLong(r.resource());
            if (own != Rlimit.INFINITY && Long.compareUnsigned(r.hard(), own) > 0) {
                out.add("RLIMIT_" + r.resource() + " of " + Long.toUnsignedString(r.hard()) + " is above your own hard limit ("
                        + Long.toUnsignedString(own) + "), and a user namespace cannot raise hard limits: the program gets "
                        + Long.toUnsignedString(own) + ". Fix: raise your hard limit (ulimit -H, /etc/security/limits.conf),"
                        + " or run as root");
            }
        }
        return out;
    }
}
