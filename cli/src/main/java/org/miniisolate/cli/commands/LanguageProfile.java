package org.miniisolate.cli.commands;

import java.util.List;
import java.util.Map;

/**
 * One language of {@code execute}, as declared in {@code languages.properties}.
 *
 * @param id              stable id, as {@code --language} takes it
 * @param name            for people
 * @param aliases         other accepted names
 * @param source          the source's file name in /box
 * @param homes           candidate toolchain directories (patterns, see the properties file); empty for none
 * @param requires        files that must be there: absolute, or relative to the home
 * @param compile         compile command; empty when the language has no compile step
 * @param run             run command
 * @param runMemoryArgs   inserted after the run command's program when a memory limit is set
 * @param heapReserveMb   memory kept for the runtime itself when sizing {@code {heap_mb}}
 * @param cgroupMemory    a memory limit needs the cgroup memory controller
 * @param env             VAR=VALUE rules for both steps
 * @param compileLimits   limits of the compile step
 * @param runLimits       default limits of the run step (the flags override them)
 */
record LanguageProfile(String id, String name, List<String> aliases, String source, List<String> homes,
                       List<String> requires, List<String> compile, List<String> run, List<String> runMemoryArgs,
                       int heapReserveMb, boolean cgroupMemory, List<String> env, Resources compileLimits,
                       Resources runLimits) {

    LanguageProfile {
        aliases = List.copyOf(aliases);
        homes = List.copyOf(homes);
        requires = List.copyOf(requires);
        compile = List.copyOf(compile);
        run = List.copyOf(run);
        runMemoryArgs = List.copyOf(runMemoryArgs);
        env = List.copyOf(env);
        if (run.isEmpty()) {
            throw new IllegalArgumentException("language " + id + " has no run command");
        }
        if (source.isEmpty() || source.contains("/")) {
            throw new IllegalArgumentException("language " + id + ": the source must be a plain file name, not '" + source + "'");
        }
    }

    boolean compiles() {
        return !compile.isEmpty();
    }

    boolean answersTo(String name) {
        return id.equals(name) || aliases.contains(name);
    }

    /** {@code command} with {home}, {memory_mb} and {heap_mb} filled in. */
    static List<String> expand(List<String> command, Map<String, String> values) {
        return command.stream().map(word -> {
            String w = word;
            for (Map.Entry<String, String> e : values.entrySet()) {
                w = w.replace("{" + e.getKey() + "}", e.getValue());
            }
            return w;
        }).toList();
    }
}
