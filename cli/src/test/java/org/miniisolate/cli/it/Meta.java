package org.miniisolate.cli.it;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A meta-file as written, parsed into its keys in order and their values. */
record Meta(List<String> keys, Map<String, String> values) {

    static Meta parse(String text) {
        List<String> keys = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new AssertionError("not a meta-file line: '" + line + "' in:\n" + text);
            }
            keys.add(line.substring(0, colon));
            values.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return new Meta(List.copyOf(keys), values);
    }

    String get(String key) {
        return values.get(key);
    }

    /** A time value (seconds with three decimals) in seconds. */
    double seconds(String key) {
        String v = values.get(key);
        if (v == null || !v.matches("\\d+\\.\\d{3}")) {
            throw new AssertionError(key + " is not a time with three decimals: " + v);
        }
        return Double.parseDouble(v);
    }
}
