package org.miniisolate.cli.isolate;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@value #VARIABLE}: where boxes live when the configuration file does not say ({@code box_root} wins).
 *
 * <p>It predates the configuration file and stays because it is the cheapest way to give one process (a test, a
 * one-off judge) a private box root without writing a file.
 */
final class BoxRootSetting {

    /** Environment variable naming the directory that holds the boxes when the config file has no box_root. */
    static final String VARIABLE = "MINI_ISOLATE_BOX_ROOT";

    private BoxRootSetting() {
    }

    /**
     * The box root {@code env} asks for, or {@code null} when it asks for none.
     *
     * @throws IllegalArgumentException if the variable holds something that is not an absolute path
     */
    static Path override(Map<String, String> env) {
        String root = env.get(VARIABLE);
        if (root == null || root.isEmpty()) {
            return null;
        }
        Path p = Path.of(root);
        if (!p.isAbsolute()) {
            throw new IllegalArgumentException(VARIABLE + " must be an absolute path, not '" + root + "'");
        }
        return p;
    }
}
