package org.miniisolate.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each {@link Controller} lives on this machine: the result of {@link CgroupDiscovery}.
 *
 * @param mounts every cgroup mount found, for reports
 * @param homes  one entry per controller
 */
public record CgroupLayout(List<CgroupMount> mounts, Map<Controller, Home> homes) {
    /** The kinds of machine the discovery tells apart. */
    public enum Kind {
        /** Only v1 hierarchies. */
        V1,
        /** Only the v2 unified tree. */
        V2,
        /** v1 controllers plus a v2 mount (often with no controllers of its own). */
        HYBRID,
        /** No cgroup filesystem visible. */
        NONE
    }

    public CgroupLayout {
        mounts = List.copyOf(mounts);
        EnumMap<Controller, Home> copy = new EnumMap<>(Controller.class);
        copy.putAll(homes);
        for (Controller c : Controller.values()) {
            if (!copy.containsKey(c)) {
                throw new IllegalArgumentException("no home given for " + c);
            }
        }
        homes = java.util.Collections.unmodifiableMap(copy);
    }

    /** A layout with nothing usable, e.g. when the machine's cgroup files cannot be read. */
    public static CgroupLayout none(String reason, String fix) {
        Map<Controller, Home> homes = new EnumMap<>(Controller.class);
        for (Controller c : Controller.values()) {
            homes.put(c, new Home.Missing(reason, fix));
        }
        return new CgroupLayout(List.of(), homes);
    }

    public Home home(Controller c) {
        return homes.get(c);
    }

    /** The place of {@code c}, if it can be used. */
    public Optional<Home.Usable> usable(Controller c) {
        return homes.get(c) instanceof Home.Usable u ? Optional.of(u) : Optional.empty();
    }

    public Kind kind() {
        // A named v1 hierarchy without controllers (name=systemd) does not make a machine v1.
        boolean v1 = mounts.stream().anyMatch(m -> !m.v2() && m.options().stream().anyMatch(CgroupLayout::isSubsystem));
        boolean v2 = mounts.stream().anyMatch(CgroupMount::v2);
        return v1 && v2 ? Kind.HYBRID : v1 ? Kind.V1 : v2 ? Kind.V2 : Kind.NONE;
    }

    private static boolean isSubsystem(String option) {
        return switch (option) {
            case "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "net_cls", "net_prio", "blkio", "perf_event",
                 "hugetlb", "pids", "rdma", "misc" -> true;
            default -> false;
        };
    }

    /**
     * The directories box cgroups are created in, {@code <base>/<name>}, one per hierarchy in use:
     * what {@code --print-cg-root} prints. The v2 one, if any, comes first.
     */
    public List<Path> roots(String name) {
        Set<Path> out = new LinkedHashSet<>();
        for (Home h : homes.values()) {
            if (h instanceof Home.V2 v2) {
                out.add(v2.base().resolve(name));
            }
        }
        for (Home h : homes.values()) {
            if (h instanceof Home.V1 v1) {
                out.add(v1.base().resolve(name));
            }
        }
        return List.copyOf(out);
    }

    /** One line per controller, for the {@code check} command. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        lines.add("cgroup layout: " + kind().name().toLowerCase(java.util.Locale.ROOT));
        for (Map.Entry<Controller, Home> e : homes.entrySet()) {
            lines.add(e.getKey().label() + ": " + e.getValue().describe());
        }
        return lines;
    }
}
