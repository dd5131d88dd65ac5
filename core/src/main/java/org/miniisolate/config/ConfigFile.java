package org.miniisolate.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads the configuration file: isolate's format and keys. Lines are {@code key = value}, blank
 * or {@code #} comments; anything else, an unknown key, a key given twice or a bad value is an
 * error naming the line, so a typo never silently falls back to a default.
 */
public final class ConfigFile {
    /** Where the file is looked for when neither the command line nor the environment names one. */
    public static final Path DEFAULT_PATH = Path.of("/etc/mini-isolate.conf");
    /** Environment variable naming another file. */
    public static final String ENVIRONMENT_VARIABLE = "MINI_ISOLATE_CONFIG";
    private static final int MAX_LINE = 1023;

    private ConfigFile() {}

    /**
     * Loads {@code explicit}, else the file named by the environment, else the default path. A
     * missing default file means defaults; a missing file that was asked for is an error.
     */
    public static ConfigValues load(Path explicit, Map<String, String> environment) {
        if (explicit != null) {
            return read(explicit, true);
        }
        String fromEnv = environment.get(ENVIRONMENT_VARIABLE);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return read(Path.of(fromEnv), true);
        }
        return read(DEFAULT_PATH, false);
    }

    static ConfigValues read(Path file, boolean required) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new ConfigException("Cannot read config file " + file + ": it does not exist");
            }
            return ConfigValues.EMPTY;
        } catch (IOException e) {
            throw new ConfigException("Cannot read config file " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), lines);
    }

    /** Parses {@code lines}; {@code name} only appears in messages. */
    public static ConfigValues parse(String name, List<String> lines) {
        Builder b = new Builder();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int number = i + 1;
            if (line.length() > MAX_LINE) {
                throw error(name, number, "line longer than " + MAX_LINE + " characters");
            }
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw error(name, number, "expected 'key = value', found '" + t + "'");
            }
            String key = t.substring(0, eq).strip();
            String value = t.substring(eq + 1).strip();
            if (key.isEmpty() || value.isEmpty()) {
                throw error(name, number, "expected 'key = value', found '" + t + "'");
            }
            try {
                b.set(key, value);
            } catch (IllegalArgumentException e) {
                throw error(name, number, e.getMessage());
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Error in config file " + name + ": " + e.getMessage());
        }
    }

    private static ConfigException error(String name, int line, String what) {
        return new ConfigException("Error in config file " + name + ", line " + line + ": " + what);
    }

    private static final class Builder {
        private final Map<String, String> seen = new HashMap<>();
        private Optional<Path> boxRoot = Optional.empty();
        private Optional<Path> lockRoot = Optional.empty();
        private Optional<String> cgRoot = Optional.empty();
        private OptionalInt firstUid = OptionalInt.empty();
        private OptionalInt firstGid = OptionalInt.empty();
        private OptionalInt numBoxes = OptionalInt.empty();
        private boolean restrictedInit;
        private OptionalInt syscallFlags = OptionalInt.empty();
        private final Map<Integer, String> cpus = new HashMap<>();
        private final Map<Integer, String> mems = new HashMap<>();

        void set(String key, String value) {
            if (seen.put(key, value) != null) {
                throw new IllegalArgumentException("'" + key + "' is set twice");
            }
            switch (key) {
                case "box_root" -> boxRoot = Optional.of(absolute(key, value));
                case "lock_root" -> lockRoot = Optional.of(absolute(key, value));
                case "cg_root" -> cgRoot = Optional.of(value);
                case "first_uid" -> firstUid = OptionalInt.of(positive(key, value));
                case "first_gid" -> firstGid = OptionalInt.of(positive(key, value));
                case "num_boxes" -> numBoxes = OptionalInt.of(positive(key, value));
                case "restricted_init" -> restrictedInit = flag(key, value);
                case "syscall_flags" -> syscallFlags = OptionalInt.of(nonNegative(key, value));
                default -> perBox(key, value);
            }
        }

        private void perBox(String key, String value) {
            int dot = key.indexOf('.');
            if (key.startsWith("box") && dot > 3) {
                String id = key.substring(3, dot);
                String what = key.substring(dot + 1);
                if (id.chars().allMatch(Character::isDigit) && id.length() < 10 && (what.equals("cpus") || what.equals("mems"))) {
                    checkCpuList(key, value);
                    (what.equals("cpus") ? cpus : mems).put(Integer.parseInt(id), value);
                    return;
                }
            }
            throw new IllegalArgumentException("unknown key '" + key + "'");
        }

        ConfigValues build() {
            if (numBoxes.isPresent() && firstUid.isPresent() && (long) firstUid.getAsInt() + numBoxes.getAsInt() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("first_uid + num_boxes goes beyond the largest uid");
            }
            for (int id : cpus.keySet()) {
                checkBoxId(id);
            }
            for (int id : mems.keySet()) {
                checkBoxId(id);
            }
            return new ConfigValues(boxRoot, lockRoot, cgRoot, firstUid, firstGid, numBoxes, restrictedInit, syscallFlags, cpus, mems);
        }

        private void checkBoxId(int id) {
            if (numBoxes.isPresent() && id >= numBoxes.getAsInt()) {
                throw new IllegalArgumentException("box" + id + " is beyond num_boxes = " + numBoxes.getAsInt());
            }
        }

        private static Path absolute(String key, String value) {
            if (!value.startsWith("/")) {
                throw new IllegalArgumentException(key + " must be an absolute path, not '" + value + "'");
            }
            return Path.of(value).normalize();
        }

        private static int positive(String key, String value) {
            int v = nonNegative(key, value);
            if (v == 0) {
                throw new IllegalArgumentException(key + " must be above 0");
            }
            return v;
        }

        private static int nonNegative(String key, String value) {
            try {
                int v = Integer.parseInt(value);
                if (v < 0 || !value.chars().allMatch(Character::isDigit)) {
                    throw new NumberFormatException();
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + " must be a whole number, not '" + value + "'");
            }
        }

        private static boolean flag(String key, String value) {
            return switch (value) {
                case "0" -> false;
                case "1" -> true;
                default -> throw new IllegalArgumentException(key + " must be 0 or 1, not '" + value + "'");
            };
        }

        /** cpuset syntax: "0-3,5,7-8". */
        private static void checkCpuList(String key, String value) {
            for (String part : value.split(",", -1)) {
                String[] range = part.split("-", -1);
                boolean ok = range.length <= 2;
                for (String n : range) {
                    ok &= !n.isEmpty() && n.length() < 7 && n.chars().allMatch(Character::isDigit);
                }
                if (!ok) {
                    throw new IllegalArgumentException(key + " must be a list like '0-3,5', not '" + value + "'");
                }
            }
        }
    }
}
