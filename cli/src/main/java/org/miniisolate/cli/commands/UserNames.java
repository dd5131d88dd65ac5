package org.miniisolate.cli.commands;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** User names for uids, from /etc/passwd (no NSS lookup in Java). */
final class UserNames {
    private UserNames() {
    }

    /** The name of {@code uid}, or null when /etc/passwd does not list it. */
    static String of(int uid) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] f = line.split(":", -1);
                if (f.length > 2 && f[2].equals(Integer.toString(uid))) {
                    return f[0];
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }
}
