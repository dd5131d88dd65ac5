package org.miniisolate.seccomp;

/**
 * A condition on one argument (0-5) of a system call, compared as the kernel passes it: a
 * 64-bit register on x86-64, 32 bits on i386.
 */
public sealed interface ArgTest permits ArgTest.Equals, ArgTest.MaskedEquals {
    int arg();

    /** {@code arg == value}. */
    record Equals(int arg, long value) implements ArgTest {
        public Equals {
            checkIndex(arg);
        }

        // Written out rather than generated: a record's own equals/hashCode bootstrap
        // java.lang.runtime.ObjectMethods on first use, about 15 ms of every CLI start (policies are
        // hashed on the way to each run).
        @Override
        public boolean equals(Object o) {
            return o instanceof Equals e && e.arg == arg && e.value == value;
        }

        @Override
        public int hashCode() {
            return 31 * arg + Long.hashCode(value);
        }
    }

    /** {@code (arg & mask) == value}: tests some bits and ignores the others. */
    record MaskedEquals(int arg, long mask, long value) implements ArgTest {
        public MaskedEquals {
            checkIndex(arg);
            if ((value & ~mask) != 0) {
                throw new IllegalArgumentException("value 0x" + Long.toHexString(value)
                        + " has bits outside the mask 0x" + Long.toHexString(mask) + ", so it can never match");
            }
        }

        @Override
        public boolean equals(Object o) { // hand-written for start-up, as in Equals
            return o instanceof MaskedEquals m && m.arg == arg && m.mask == mask && m.value == value;
        }

        @Override
        public int hashCode() {
            return (31 * arg + Long.hashCode(mask)) * 31 + Long.hashCode(value);
        }
    }

    static ArgTest equal(int arg, long value) {
        return new Equals(arg, value);
    }

    /** Every bit of {@code bits} is set in the argument. */
    static ArgTest allBitsSet(int arg, long bits) {
        return new MaskedEquals(arg, bits, bits);
    }

    private static void checkIndex(int arg) {
        if (arg < 0 || arg > 5) {
            throw new IllegalArgumentException("system calls have arguments 0 to 5, not " + arg);
        }
    }
}
