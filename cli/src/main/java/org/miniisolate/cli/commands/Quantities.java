package org.miniisolate.cli.commands;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parsing of the resource flags' values: seconds, and sizes with an optional unit. */
final class Quantities {
    private Quantities() {
    }

    /**
     * A non-negative number of seconds, fractions allowed ("1", "0.5", "2.25"), truncated to milliseconds.
     *
     * @throws IllegalArgumentException for anything else ("1s", "-1", "abc")
     */
    static Duration seconds(String text) {
        BigDecimal v = decimal(text, "a number of seconds such as 1 or 0.5");
        return Duration.ofMillis(v.movePointRight(3).longValue());
    }

    /**
     * A size in KiB: a non-negative number with an optional unit K, M or G (powers of 1024, case-insensitive, a
     * trailing B allowed); a bare number is in MiB, as {@code --max-memory 256} reads.
     */
    static long kib(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B") && t.length() > 1 && Character.isLetter(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long factor = 1024;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> factor = 1;
                case 'M' -> factor = 1024;
                case 'G' -> factor = 1024 * 1024;
                default -> factor = 0;
            }
            if (factor != 0) {
                t = t.substring(0, t.length() - 1);
            } else {
                factor = 1024;
            }
        }
        BigDecimal v = decimal(t, "a size such as 256 (MiB), 512K, 64M or 1G");
        try {
            return v.multiply(BigDecimal.valueOf(factor)).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }

    private static BigDecimal decimal(String text, String expected) {
        String t = text.strip();
        if (t.isEmpty() || !t.matches("[0-9]*(\\.[0-9]*)?") || t.equals(".")) {
            throw new IllegalArgumentException("'" + text + "' is not " + expected);
        }
        return new BigDecimal(t.startsWith(".") ? "0" + t : t.endsWith(".") ? t + "0" : t);
    }

    /** picocli converter for {@link #seconds(String)}. */
    static final class Seconds implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return seconds(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** picocli converter for {@link #kib(String)}. */
    static final class Kib implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return kib(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
