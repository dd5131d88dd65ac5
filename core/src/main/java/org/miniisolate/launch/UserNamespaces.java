package org.miniisolate.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether this kernel lets an unprivileged process create a user namespace, which rootless mode
 * needs for every box. Read from the switches distributions use to turn it off, so the refusal
 * names the one to change instead of a bare EPERM from clone.
 */
public final class UserNamespaces {
    private UserNamespaces() {}

    /** Why unprivileged user namespaces cannot be made here, with the fix; empty when nothing forbids them. */
    public static Optional<String> unavailable() {
        return unavailable(Path.of("/proc/sys"));
    }

    /** As {@link #unavailable()}, reading the switches below {@code procSys} (a /proc/sys; tests use a fake one). */
    public static Optional<String> unavailable(Path procSys) {
        if (read(procSys.resolve("user/max_user_namespaces")).equals("0")) {
            return Optional.of("user namespaces are disabled (user.max_user_namespaces = 0). Fix: "
                    + "`sysctl -w user.max_user_namespaces=15000`, or run as root");
        }
        if (read(procSys.resolve("kernel/unprivileged_userns_clone")).equals("0")) {
            return Optional.of("unprivileged user namespaces are disabled (kernel.unprivileged_userns_clone = 0). Fix: "
                    + "`sysctl -w kernel.unprivileged_userns_clone=1`, or run as root");
        }
        if (read(procSys.resolve("kernel/apparmor_restrict_unprivileged_userns")).equals("1")) {
            return Optional.of("AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1). "
                    + "Fix: an AppArmor profile allowing `userns` for the launcher, "
                    + "`sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, or run as root");
        }
        return Optional.empty();
    }

    /** The file's trimmed text; empty when it does not exist (an older kernel or another distribution). */
    private static String read(Path p) {
        try {
            return Files.readString(p).trim();
        } catch (IOException e) {
            return "";
        }
    }
}
