package org.miniisolate.cgroup;

import java.nio.file.Path;
import java.util.Objects;

/** Where one {@link Controller} lives on this machine, or why it cannot be used. */
public sealed interface Home {
    /** One line for people (the {@code check} command, warnings). */
    String describe();

    /** A usable place: box cgroups for this controller are created under {@code base}. */
    sealed interface Usable extends Home {
        /** Mount point of the hierarchy. */
        Path mount();

        /** The directory the project's own subtree is created in. */
        Path base();
    }

    /**
     * A cgroup v1 hierarchy mounted at {@code mount}; each hierarchy has its own box cgroup.
     *
     * @param mount the hierarchy's mount point, e.g. /sys/fs/cgroup/memory
     * @param base  where the project's subtree goes (the mount point when running as root)
     */
    record V1(Path mount, Path base) implements Usable {
        public V1 {
            Objects.requireNonNull(mount);
            Objects.requireNonNull(base);
        }

        @Override
        public String describe() {
            return "cgroup v1 hierarchy " + mount + (base.equals(mount) ? "" : ", under " + base);
        }
    }

    /**
     * The cgroup v2 unified tree mounted at {@code mount}, with this controller enabled for the
     * children of {@code base} (or, for CPU accounting and kill, offered by every cgroup).
     */
    record V2(Path mount, Path base) implements Usable {
        public V2 {
            Objects.requireNonNull(mount);
            Objects.requireNonNull(base);
        }

        @Override
        public String describe() {
            return "cgroup v2 " + (base.equals(mount) ? mount.toString() : base + " (delegated subtree)");
        }
    }

    /**
     * Not available.
     *
     * @param reason what is missing, for a person
     * @param fix    what to do about it: a command or a setting
     */
    record Missing(String reason, String fix) implements Home {
        public Missing {
            Objects.requireNonNull(reason);
            Objects.requireNonNull(fix);
        }

        @Override
        public String describe() {
            return "missing: " + reason;
        }
    }
}
