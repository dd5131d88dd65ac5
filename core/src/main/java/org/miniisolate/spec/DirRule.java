package org.miniisolate.spec;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One entry of the box's directory layout. {@code inside} is the path inside the box, relative,
 * normalised (no leading '/', no '.', '..' or empty components).
 */
public sealed interface DirRule {
    String inside();

    Set<DirOption> options();

    /** A host directory (or file) bound in. {@code outside} is absolute, or "./x" relative to the box directory. */
    record Bind(String inside, String outside, Set<DirOption> options) implements DirRule {
        public Bind {
            inside = DirRules.normalizeInside(inside);
            Objects.requireNonNull(outside);
            if (!outside.startsWith("/") && !outside.startsWith("./")) {
                throw new IllegalArgumentException("Right-hand side must start with '/' or './': " + outside);
            }
            // "./" paths are opened as root, not as the caller: they must not climb out of the box directory.
            if (outside.startsWith("./") && java.util.Arrays.asList(outside.split("/")).contains("..")) {
                throw new IllegalArgumentException("Right-hand side must stay inside the box directory: " + outside);
            }
            options = Set.copyOf(options);
        }
    }

    /** A fresh filesystem of {@code type}: proc, sysfs, tmpfs or devpts. */
    record Filesystem(String inside, String type, Set<DirOption> options) implements DirRule {
        public static final Set<String> SUPPORTED = Set.of("proc", "sysfs", "tmpfs", "devpts");

        public Filesystem {
            inside = DirRules.normalizeInside(inside);
            if (!SUPPORTED.contains(type)) {
                throw new IllegalArgumentException("This filesystem is not supported: " + type);
            }
            options = Set.copyOf(options);
        }
    }

    /** A private writable directory kept with the box (isolate's "tmp" option), persistent across runs. */
    record Temporary(String inside) implements DirRule {
        public Temporary {
            inside = DirRules.normalizeInside(inside);
        }

        @Override
        public Set<DirOption> options() {
            return EnumSet.of(DirOption.RW);
        }
    }

    /** A minimal /dev: null, zero, full, random, urandom and the fd symlinks, nothing else of the host. */
    record Devices(String inside) implements DirRule {
        public Devices {
            inside = DirRules.normalizeInside(inside);
        }

        @Override
        public Set<DirOption> options() {
            return EnumSet.of(DirOption.DEV);
        }
    }
}
