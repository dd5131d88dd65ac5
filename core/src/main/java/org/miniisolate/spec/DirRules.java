package org.miniisolate.spec;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** isolate's -d grammar and default layout. */
public final class DirRules {
    private DirRules() {}

    /**
     * The default layout: isolate 2.6's, except that /dev holds only the harmless devices
     * instead of a bind of the host's whole /dev.
     */
    public static List<DirRule> defaults() {
        return List.of(
                new DirRule.Bind("box", "./box", EnumSet.of(DirOption.RW)),
                new DirRule.Bind("bin", "/bin", Set.of()),
                new DirRule.Devices("dev"),
                new DirRule.Filesystem("dev/shm", "tmpfs", EnumSet.of(DirOption.RW)),
                new DirRule.Bind("lib", "/lib", Set.of()),
                new DirRule.Bind("lib64", "/lib64", EnumSet.of(DirOption.MAYBE)),
                new DirRule.Filesystem("proc", "proc", Set.of()),
                new DirRule.Temporary("tmp"),
                new DirRule.Bind("usr", "/usr", Set.of()));
    }

    /**
     * Applies -d specifications to {@code base} in order: a rule for an existing inside path
     * replaces it in place, "IN=" removes it, anything else is appended.
     */
    public static List<DirRule> apply(List<DirRule> base, List<String> specs) {
        Map<String, DirRule> rules = new LinkedHashMap<>();
        for (DirRule r : base) {
            rules.put(r.inside(), r);
        }
        for (String spec : specs) {
            String eq = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : null;
            if (eq != null && spec.endsWith("=") && spec.indexOf(':') < 0) {
                rules.remove(normalizeInside(eq));
                continue;
            }
            DirRule r = parse(spec);
            rules.put(r.inside(), r); // replacing keeps the original position
        }
        return List.copyOf(rules.values());
    }

    /** Parses "IN=OUT[:opts]", "DIR[:opts]" (meaning DIR=/DIR) as isolate does. */
    public static DirRule parse(String spec) {
        int colon = spec.indexOf(':');
        String main = colon < 0 ? spec : spec.substring(0, colon);
        Set<DirOption> options = EnumSet.noneOf(DirOption.class);
        boolean fs = false;
        boolean tmp = false;
        if (colon >= 0) {
            for (String opt : spec.substring(colon + 1).split(":", -1)) {
                switch (opt) {
                    case "rw" -> options.add(DirOption.RW);
                    case "noexec" -> options.add(DirOption.NOEXEC);
                    case "dev" -> options.add(DirOption.DEV);
                    case "maybe" -> options.add(DirOption.MAYBE);
                    case "norec" -> options.add(DirOption.NOREC);
                    case "fs" -> fs = true;
                    case "tmp" -> tmp = true;
                    default -> throw new IllegalArgumentException("Unknown option '" + opt + "' in directory rule " + spec);
                }
            }
        }
        int eq = main.indexOf('=');
        String inside = eq < 0 ? main : main.substring(0, eq);
        String outside = eq < 0 ? null : main.substring(eq + 1);
        if (fs && tmp) {
            throw new IllegalArgumentException("Directory rule " + spec + " cannot be both 'fs' and 'tmp'");
        }
        if (tmp) {
            if (outside != null) {
                throw new IllegalArgumentException("Directory rule " + spec + ": 'tmp' takes no outside path");
            }
            return new DirRule.Temporary(inside);
        }
        if (fs) {
            if (outside == null || outside.isEmpty()) {
                throw new IllegalArgumentException("Directory rule " + spec + ": 'fs' needs a filesystem type");
            }
            return new DirRule.Filesystem(inside, outside, options);
        }
        if (outside == null) {
            outside = "/" + normalizeInside(inside);
        }
        return new DirRule.Bind(inside, outside, options);
    }

    /** Strips leading slashes; rejects empty paths and any '.' or '..' component. */
    public static String normalizeInside(String inside) {
        String p = inside;
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.isEmpty() || p.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Invalid path: '" + inside + "'");
        }
        List<String> parts = new ArrayList<>();
        for (String c : p.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                throw new IllegalArgumentException("Invalid path: '" + inside + "'");
            }
            parts.add(c);
        }
        return String.join("/", parts);
    }
}
