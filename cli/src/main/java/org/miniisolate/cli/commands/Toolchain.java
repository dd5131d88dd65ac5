package org.miniisolate.cli.commands;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.miniisolate.spec.DirOption;
import org.miniisolate.spec.DirRule;

/**
 * A language profile resolved on this machine: where its toolchain is, and how the box sees it.
 *
 * @param profile     the profile
 * @param home        the toolchain directory on the host; null when the profile has none
 * @param insideHome  the same directory as the box sees it ({home} in commands)
 * @param dirs        directory rules the box needs for it (a bind of a home outside /usr, /bin and /lib)
 * @param unavailable why the language cannot run here; null when it can
 */
record Toolchain(LanguageProfile profile, Path home, String insideHome, List<DirRule> dirs, String unavailable) {

    /** Directories of the default box layout: what lies below them is visible in every box. */
    private static final List<Path> VISIBLE = List.of(Path.of("/usr"), Path.of("/bin"), Path.of("/lib"), Path.of("/lib64"));

    Toolchain {
        dirs = List.copyOf(dirs);
    }

    boolean available() {
        return unavailable == null;
    }

    /**
     * Finds {@code p}'s toolchain.
     *
     * @param properties {@code java.home} and {@code user.home} for the home patterns
     */
    static Toolchain resolve(LanguageProfile p, Map<String, String> properties) {
        if (p.homes().isEmpty()) {
            String missing = missing(p.requires(), null);
            return new Toolchain(p, null, null, List.of(), missing);
        }
        List<String> tried = new ArrayList<>();
        for (String pattern : p.homes()) {
            String expanded = pattern;
            for (Map.Entry<String, String> e : properties.entrySet()) {
                expanded = expanded.replace("${" + e.getKey() + "}", e.getValue());
            }
            if (expanded.contains("${")) {
                continue;
            }
            for (Path home : candidates(Path.of(expanded))) {
                tried.add(home.toString());
                if (missing(p.requires(), home) == null) {
                    return place(p, home);
                }
            }
        }
        return new Toolchain(p, null, null, List.of(), "no toolchain with " + String.join(", ", p.requires())
                + " in " + (tried.isEmpty() ? String.join(" ", p.homes()) : String.join(", ", tried)));
    }

    /** How the box sees {@code home}: as itself under /usr, /bin, /lib; else bound at /opt/ID. */
    private static Toolchain place(LanguageProfile p, Path home) {
        Path real;
        try {
            real = home.toRealPath();
        } catch (IOException e) {
            return new Toolchain(p, null, null, List.of(), home + ": " + e.getMessage());
        }
        if (VISIBLE.stream().anyMatch(real::startsWith)) {
            return new Toolchain(p, real, real.toString(), List.of(), null);
        }
        String inside = "opt/" + p.id();
        return new Toolchain(p, real, "/" + inside, List.of(new DirRule.Bind(inside, real.toString(), java.util.Set.<DirOption>of())), null);
    }

    /** A directory, or those matching a '*' in its last component (newest name last, so the last one is tried last). */
    private static List<Path> candidates(Path pattern) {
        String last = pattern.getFileName() == null ? "" : pattern.getFileName().toString();
        if (!last.contains("*")) {
            return Files.isDirectory(pattern) ? List.of(pattern) : List.of();
        }
        Path parent = pattern.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return List.of();
        }
        TreeSet<Path> found = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(parent, last)) {
            for (Path d : ds) {
                if (Files.isDirectory(d)) {
                    found.add(d);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        return List.copyOf(found);
    }

    /**
     * The first required file that is missing, not executable, or (for absolute ones) lies outside what the box
     * sees; null when all are fine.
     */
    private static String missing(List<String> requires, Path home) {
        for (String r : requires) {
            Path f = r.startsWith("/") || home == null ? Path.of(r) : home.resolve(r);
            if (!Files.isRegularFile(f) || !Files.isExecutable(f)) {
                return f + " is not installed";
            }
            if (r.startsWith("/")) {
                try {
                    Path real = f.toRealPath();
                    if (VISIBLE.stream().noneMatch(real::startsWith)) {
                        return f + " resolves to " + real + ", which boxes do not see";
                    }
                } catch (IOException e) {
                    return f + ": " + e.getMessage();
                }
            }
        }
        return null;
    }
}
