package org.miniisolate.launch;

import java.util.Objects;
import java.util.Set;

/**
 * One mount the box init performs, in order, below the box root. A bind copies a host tree
 * ({@code source}); a filesystem mount creates a fresh one of {@code fsType} with {@code data}
 * options; a restriction re-mounts what an earlier mount put at the target with stricter
 * attributes (a read-only /proc/sys). {@code target} is relative to the box root and already
 * normalised. With {@link Flag#MAYBE}, a missing source or target is skipped.
 */
public record Mount(Kind kind, String source, String target, String fsType, String data, Set<Flag> flags) {
    public enum Kind { BIND, FILESYSTEM, RESTRICT }

    public enum Flag {
        READ_ONLY(Protocol.MF_RDONLY),
        NO_SUID(Protocol.MF_NOSUID),
        NO_DEV(Protocol.MF_NODEV),
        NO_EXEC(Protocol.MF_NOEXEC),
        /** Bind submounts too. */
        RECURSIVE(Protocol.MF_RECURSIVE),
        /** Skip silently when the source does not exist. */
        MAYBE(Protocol.MF_MAYBE),
        /** Look the source up as the caller (LaunchSpec.bindIdentity), not as root. */
        AS_CALLER(Protocol.MF_AS_CALLER);

        final int bit;

        Flag(int bit) {
            this.bit = bit;
        }
    }

    public Mount {
        Objects.requireNonNull(kind);
        Objects.requireNonNull(target);
        flags = Set.copyOf(flags);
        source = source == null ? "" : source;
        fsType = fsType == null ? "" : fsType;
        data = data == null ? "" : data;
    }

    public static Mount bind(String source, String target, Set<Flag> flags) {
        return new Mount(Kind.BIND, source, target, "", "", flags);
    }

    public static Mount filesystem(String fsType, String target, String data, Set<Flag> flags) {
        return new Mount(Kind.FILESYSTEM, "", target, fsType, data, flags);
    }

    /** What is at {@code target} already, again, with {@code flags} added (e.g. read-only). */
    public static Mount restrict(String target, Set<Flag> flags) {
        return new Mount(Kind.RESTRICT, "", target, "", "", flags);
    }

    int flagBits() {
        int bits = 0;
        for (Flag f : flags) {
            bits |= f.bit;
        }
        return bits;
    }
}
