package org.miniisolate.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reads the cgroup mounts out of a {@code /proc/<pid>/mountinfo} text (proc(5)). */
public final class MountTable {
    private MountTable() {}

    /** Every cgroup and cgroup2 mount, in mount order; other lines and malformed lines are skipped. */
    public static List<CgroupMount> parse(String mountinfo) {
        List<CgroupMount> out = new ArrayList<>();
        for (String line : mountinfo.split("\n")) {
            CgroupMount m = parseLine(line);
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    private static CgroupMount parseLine(String line) {
        // id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
        String[] f = line.trim().split(" ");
        int dash = -1;
        for (int i = 6; i < f.length; i++) {
            if (f[i].equals("-")) {
                dash = i;
                break;
            }
        }
        if (dash < 0 || dash + 1 >= f.length) {
            return null;
        }
        String fsType = f[dash + 1];
        boolean v2 = fsType.equals("cgroup2");
        if (!v2 && !fsType.equals("cgroup")) {
            return null;
        }
        Set<String> mountOptions = Set.of(f[5].split(","));
        Set<String> superOptions = new HashSet<>();
        if (dash + 3 < f.length) {
            superOptions.addAll(List.of(f[dash + 3].split(",")));
        }
        return new CgroupMount(Path.of(unescape(f[4])), unescape(f[3]), v2, superOptions,
                mountOptions.contains("ro"));
    }

    /** The kernel writes space, tab, newline and backslash in paths as three octal digits. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && isOctal(s, i + 1)) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }
}
