package org.miniisolate.box;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Box uids and gids must be nobody else's: a box runs as first_uid + N, and a real user or group
 * with that id would own the box's processes and files (and the box theirs: it could read their
 * files and signal their processes). This looks for such users and groups in the host's local
 * account files; accounts only a directory service (LDAP, say) knows are not seen.
 */
public final class HostIdOverlap {
    public static final Path PASSWD = Path.of("/etc/passwd");
    public static final Path GROUP = Path.of("/etc/group");
    /** How many clashing accounts the message names at most. */
    private static final int NAMED = 5;

    private HostIdOverlap() {}

    /** One account whose id falls in the box range. */
    public record Clash(String file, String name, String kind, long id) {
        @Override
        public String toString() {
            return name + " (" + kind + " " + id + " in " + file + ")";
        }
    }

    /** The host's users and groups in the box range, as one warning; empty when there are none. */
    public static Optional<String> warning(int firstUid, int firstGid, int numBoxes) {
        return warning(PASSWD, GROUP, firstUid, firstGid, numBoxes);
    }

    /** As {@link #warning(int, int, int)}, reading the given account files (missing ones count as empty). */
    public static Optional<String> warning(Path passwd, Path group, int firstUid, int firstGid, int numBoxes) {
        List<Clash> clashes;
        try {
            clashes = clashes(passwd, group, firstUid, firstGid, numBoxes);
        } catch (UncheckedIOException e) {
            return Optional.of("cannot check the box ids against the host's accounts: " + e.getMessage());
        }
        if (clashes.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder("box ids overlap host accounts: boxes run as uids ")
                .append(firstUid).append('-').append((long) firstUid + numBoxes - 1)
                .append(" and gids ").append(firstGid).append('-').append((long) firstGid + numBoxes - 1)
                .append(", but ");
        for (int i = 0; i < Math.min(NAMED, clashes.size()); i++) {
            b.append(i == 0 ? "" : ", ").append(clashes.get(i));
        }
        if (clashes.size() > NAMED) {
            b.append(" and ").append(clashes.size() - NAMED).append(" more");
        }
        b.append(" use them; a box could read that account's files and signal its processes."
                + " Fix: set first_uid and first_gid in the configuration to a range no account uses");
        return Optional.of(b.toString());
    }

    /**
     * Every user of {@code passwd} with a uid, and every group of {@code group} with a gid, in the box range.
     *
     * @throws UncheckedIOException when a file exists but cannot be read
     */
    public static List<Clash> clashes(Path passwd, Path group, int firstUid, int firstGid, int numBoxes) {
        List<Clash> out = new ArrayList<>();
        scan(passwd, "uid", firstUid, numBoxes, out);
        scan(group, "gid", firstGid, numBoxes, out);
        return out;
    }

    /** name:password:ID:... lines; comments, blanks, NIS "+"/"-" entries and malformed lines are skipped. */
    private static void scan(Path file, String kind, int first, int count, List<Clash> out) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#") || line.startsWith("+") || line.startsWith("-")) {
                continue;
            }
            String[] f = line.split(":", -1);
            if (f.length < 3) {
                continue;
            }
            long id;
            try {
                id = Long.parseLong(f[2].trim());
            } catch (NumberFormatException e) {
                continue;
            }
            if (id >= first && id < (long) first + count) {
                out.add(new Clash(file.toString(), f[0], kind, id));
            }
        }
    }
}
