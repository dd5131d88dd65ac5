package org.miniisolate.cli.isolate;

import java.util.ArrayList;
import java.util.List;

/**
 * The descriptors the caller handed to {@code mini-isolate}, for {@code --inherit-fds}.
 *
 * <p>A JVM cannot tell which of its descriptors it inherited from the ones it opened itself, so the
 * {@code bin/mini-isolate} script lists them, before the JVM starts, in {@value #VARIABLE}.
 */
final class InheritedFds {

    /** Set by {@code bin/mini-isolate}: comma-separated descriptor numbers, each at least 3. */
    static final String VARIABLE = "MINI_ISOLATE_INHERITED_FDS";

    private InheritedFds() {
    }

    /**
     * Parses the variable's value; {@code null} or empty means none.
     *
     * @throws IllegalArgumentException if the value is not such a list (it is written by our own script, so a
     *                                  malformed one means the wrong script or a tampered environment)
     */
    static List<Integer> parse(String value) {
        List<Integer> fds = new ArrayList<>();
        if (value == null || value.isEmpty()) {
            return fds;
        }
        int start = 0;
        while (start <= value.length()) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? value.length() : comma;
            fds.add(parseOne(value, value.substring(start, end)));
            start = end + 1;
        }
        return fds;
    }

    private static int parseOne(String whole, String item) {
        int fd = 0;
        boolean ok = !item.isEmpty() && item.length() <= 9;
        for (int i = 0; ok && i < item.length(); i++) {
            char c = item.charAt(i);
            ok = c >= '0' && c <= '9';
            fd = fd * 10 + (c - '0');
        }
        if (!ok || fd < 3) {
            throw new IllegalArgumentException(VARIABLE + " must list descriptors (numbers from 3 up) separated by"
                    + " commas, not '" + whole + "'");
        }
        return fd;
    }
}
