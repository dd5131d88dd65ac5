package org.miniisolate.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a configuration file said, key by key; absent keys keep their defaults. Per-box cpuset
 * settings are keyed by box id.
 */
public record ConfigValues(
        Optional<Path> boxRoot,
        Optional<Path> lockRoot,
        Optional<String> cgRoot,
        OptionalInt firstUid,
        OptionalInt firstGid,
        OptionalInt numBoxes,
        boolean restrictedInit,
        OptionalInt syscallFlags,
        Map<Integer, String> boxCpus,
        Map<Integer, String> boxMems) {

    public static final ConfigValues EMPTY = new ConfigValues(Optional.empty(), Optional.empty(), Optional.empty(),
            OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), false, OptionalInt.empty(), Map.of(), Map.of());

    public ConfigValues {
        boxCpus = Map.copyOf(boxCpus);
        boxMems = Map.copyOf(boxMems);
    }
}
