package org.miniisolate.cli.commands;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/** The language profiles shipped in the jar ({@code languages.properties} beside this class). */
final class LanguageProfiles {
    static final String RESOURCE = "languages.properties";

    private LanguageProfiles() {
    }

    /** The shipped profiles, in the file's order. */
    static List<LanguageProfile> shipped() {
        try (InputStream in = LanguageProfiles.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the jar");
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return parse(p);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** The profile answering to {@code name} (an id or an alias). */
    static Optional<LanguageProfile> find(List<LanguageProfile> profiles, String name) {
        return profiles.stream().filter(p -> p.answersTo(name)).findFirst();
    }

    /** Profiles from properties: every key must belong to a listed language or the defaults. */
    static List<LanguageProfile> parse(Properties p) {
        List<String> ids = words(p.getProperty("languages", ""));
        Set<String> used = new HashSet<>(List.of("languages"));
        List<LanguageProfile> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Resources defaultCompile = limits(p, "default.compile", used);
        Resources defaultRun = limits(p, "default.run", used);
        List<String> defaultEnv = words(take(p, "default.env", used, ""));
        for (String id : ids) {
            String source = take(p, id + ".source", used, null);
            String run = take(p, id + ".run", used, null);
            if (source == null || run == null) {
                throw new IllegalArgumentException(RESOURCE + ": language " + id + " needs " + id + ".source and " + id + ".run");
            }
            List<String> env = new ArrayList<>(defaultEnv);
            env.addAll(words(take(p, id + ".env", used, "")));
            LanguageProfile profile = new LanguageProfile(id, take(p, id + ".name", used, id),
                    words(take(p, id + ".aliases", used, "")), source, words(take(p, id + ".home", used, "")),
                    words(take(p, id + ".requires", used, "")), words(take(p, id + ".compile", used, "")), words(run),
                    words(take(p, id + ".run.memory-args", used, "")),
                    Integer.parseInt(take(p, id + ".heap-reserve-mb", used, "0")),
                    Boolean.parseBoolean(take(p, id + ".cgroup-memory", used, "false")), env,
                    limits(p, id + ".compile", used).over(defaultCompile), limits(p, id + ".run", used).over(defaultRun));
            for (String n : concat(id, profile.aliases())) {
                if (!names.add(n)) {
                    throw new IllegalArgumentException(RESOURCE + ": the name " + n + " is used twice");
                }
            }
            out.add(profile);
        }
        for (String key : p.stringPropertyNames()) {
            if (!used.contains(key)) {
                throw new IllegalArgumentException(RESOURCE + ": unknown key " + key);
            }
        }
        return List.copyOf(out);
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest);
        all.addFirst(first);
        return all;
    }

    private static Resources limits(Properties p, String prefix, Set<String> used) {
        String cpu = take(p, prefix + ".max-cpu", used, null);
        String wall = take(p, prefix + ".max-time", used, null);
        String memory = take(p, prefix + ".max-memory", used, null);
        String processes = take(p, prefix + ".max-processes", used, null);
        String output = take(p, prefix + ".max-output", used, null);
        String fileSize = take(p, prefix + ".max-file-size", used, null);
        return new Resources(cpu == null ? null : Quantities.seconds(cpu), wall == null ? null : Quantities.seconds(wall),
                memory == null ? null : Quantities.kib(memory), processes == null ? null : Integer.valueOf(processes),
                output == null ? null : Quantities.kib(output), fileSize == null ? null : Quantities.kib(fileSize), null);
    }

    private static String take(Properties p, String key, Set<String> used, String fallback) {
        used.add(key);
        String v = p.getProperty(key);
        return v == null ? fallback : v.strip();
    }

    private static List<String> words(String s) {
        String t = s.strip();
        return t.isEmpty() ? List.of() : Arrays.asList(t.split("\\s+"));
    }
}
