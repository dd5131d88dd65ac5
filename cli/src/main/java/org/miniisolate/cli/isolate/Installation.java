package org.miniisolate.cli.isolate;

import java.nio.file.Path;
import java.util.Map;

import org.miniisolate.SandboxConfig;
import org.miniisolate.config.ConfigException;
import org.miniisolate.config.ConfigFile;
import org.miniisolate.config.ConfigValues;

/**
 * The installation an isolate-style invocation works on: what the configuration file said (per-box cpusets and the
 * system call flags are needed at {@code --run}) and the sandbox settings built from it.
 *
 * @param configFile the file that was read, or would have been (only for messages)
 * @param values     the file's values; {@link ConfigValues#EMPTY} when the default file does not exist
 * @param config     the sandbox settings: the file's values over the defaults, boxes owned by the caller
 */
record Installation(Path configFile, ConfigValues values, SandboxConfig config) {

    /**
     * Reads the configuration file: {@code --config=FILE}, else {@code $MINI_ISOLATE_CONFIG}, else
     * {@code /etc/mini-isolate.conf} (whose absence means defaults, while a file that was named must exist).
     * {@code MINI_ISOLATE_BOX_ROOT} places the boxes when the file has no {@code box_root}.
     *
     * @throws ConfigException          naming the file (and the line) when it is unreadable or wrong
     * @throws IllegalArgumentException if {@code MINI_ISOLATE_BOX_ROOT} is not an absolute path
     */
    static Installation load(IsolateOptions o, Map<String, String> env) {
        Path explicit = o.configPath() != null ? Path.of(o.configPath()) : null;
        ConfigValues values = ConfigFile.load(explicit, env);
        Path file = explicit != null ? explicit : fromEnvironmentOrDefault(env);
        Path boxRootOverride = BoxRootSetting.override(env);
        SandboxConfig config;
        try {
            config = SandboxConfig.from(values, boxRootOverride);
        } catch (IllegalArgumentException e) {
            // Values that are fine one by one but not together (e.g. first_uid + num_boxes), or a cg_root the
            // core cannot use: still the file's fault, so say which file.
            throw new ConfigException("Error in config file " + file + ": " + e.getMessage());
        }
        return new Installation(file, values, config);
    }

    private static Path fromEnvironmentOrDefault(Map<String, String> env) {
        String named = env.get(ConfigFile.ENVIRONMENT_VARIABLE);
        return named != null && !named.isEmpty() ? Path.of(named) : ConfigFile.DEFAULT_PATH;
    }

    /** These settings with the boxes owned by {@code owner}, or unchanged for {@code null}. */
    Installation ownedBy(ActingUser.Owner owner) {
        return owner == null ? this : new Installation(configFile, values, config.withOwner(owner.uid(), owner.gid()));
    }
}
