package org.miniisolate.cli.isolate;

import java.nio.file.Path;
import java.util.Map;

import org.miniisolate.SandboxConfig;

/**
 * The sandbox configuration of an isolate-style invocation.
 *
 * <p>Until the configuration file exists, the only setting is where boxes live: {@value #VARIABLE} overrides the
 * default box root. Tests rely on it to keep their boxes in a private temporary directory.
 */
final class BoxRootSetting {

    /** Environment variable naming the directory that holds the boxes (temporary, until the config file). */
    static final String VARIABLE = "MINI_ISOLATE_BOX_ROOT";

    private BoxRootSetting() {
    }

    /**
     * The defaults, with the box root from {@code env} when set; boxes are owned by the caller (root).
     *
     * @throws IllegalArgumentException if the variable holds something that is not an absolute path
     */
    static SandboxConfig config(Map<String, String> env) {
        String root = env.get(VARIABLE);
        if (root == null || root.isEmpty()) {
            return SandboxConfig.defaults();
        }
        Path p = Path.of(root);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(VARIABLE + " must be an absolute path, not '" + root + "'");
        }
        return SandboxConfig.withBoxRoot(p);
    }
}
