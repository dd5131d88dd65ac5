package org.miniisolate.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** isolate's environment rules: what the program's environment is built from. */
public final class EnvRules {
    /** Makes glibc print its fatal errors on stderr instead of the (absent) terminal. */
    public static final String LIBC_FATAL = "LIBC_FATAL_STDERR_";

    private EnvRules() {}

    /**
     * Starts empty (or from {@code callerEnv} with {@code fullEnv}), sets LIBC_FATAL_STDERR_=1, then
     * applies each rule in order: "VAR" copies VAR from the caller (nothing if unset), "VAR=VAL"
     * sets it, "VAR=" removes it.
     */
    public static Map<String, String> resolve(List<String> rules, boolean fullEnv, Map<String, String> callerEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        if (fullEnv) {
            env.putAll(callerEnv);
        }
        env.remove(LIBC_FATAL);
        env.put(LIBC_FATAL, "1");
        for (String rule : rules) {
            int eq = rule.indexOf('=');
            String name = eq < 0 ? rule : rule.substring(0, eq);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("Invalid environment rule '" + rule + "': the variable needs a name");
            }
            env.remove(name);
            if (eq < 0) {
                String inherited = callerEnv.get(name);
                if (inherited != null) {
                    env.put(name, inherited);
                }
            } else if (eq < rule.length() - 1) {
                env.put(name, rule.substring(eq + 1));
            }
        }
        return env;
    }
}
