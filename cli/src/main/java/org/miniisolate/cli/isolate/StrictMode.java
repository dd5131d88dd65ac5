package org.miniisolate.cli.isolate;

import java.util.Map;

/**
 * {@value #VARIABLE}{@code =1}: refuse, instead of going on with a warning, whatever this machine or mode cannot
 * enforce of what was asked: a cgroup limit or controller ({@code --cg}), a disk quota ({@code -q}) in rootless mode.
 *
 * <p>An environment variable, not an option: isolate has no such option, and a judge sets it once for all its calls.
 */
final class StrictMode {

    /** The environment variable that asks for strict mode. */
    static final String VARIABLE = "MINI_ISOLATE_STRICT";

    private StrictMode() {
    }

    static boolean requested(Map<String, String> env) {
        return "1".equals(env.get(VARIABLE));
    }
}
