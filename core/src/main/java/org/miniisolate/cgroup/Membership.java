package org.miniisolate.cgroup;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Which cgroups a process belongs to, from {@code /proc/<pid>/cgroup}: one line per v1
 * hierarchy ({@code id:subsystems:path}) and {@code 0::path} for the v2 unified tree.
 *
 * @param v1     v1 subsystem (memory, cpuacct, name=systemd...) to the cgroup path in its hierarchy
 * @param v2Path the cgroup path in the unified tree, when the process has one
 */
public record Membership(Map<String, String> v1, Optional<String> v2Path) {
    public Membership {
        v1 = Map.copyOf(v1);
    }

    public static Membership parse(String procCgroup) {
        Map<String, String> v1 = new HashMap<>();
        String v2 = null;
        for (String line : procCgroup.split("\n")) {
            int first = line.indexOf(':');
            int second = first < 0 ? -1 : line.indexOf(':', first + 1);
            if (second < 0) {
                continue;
            }
            String subsystems = line.substring(first + 1, second);
            String path = line.substring(second + 1);
            if (line.substring(0, first).equals("0") && subsystems.isEmpty()) {
                v2 = path;
            } else {
                for (String s : subsystems.split(",")) {
                    if (!s.isEmpty()) {
                        v1.put(s, path);
                    }
                }
            }
        }
        return new Membership(v1, Optional.ofNullable(v2));
    }
}
