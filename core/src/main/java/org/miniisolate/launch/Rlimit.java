package org.miniisolate.launch;

/** A resource limit the program starts with; {@link #INFINITY} lifts it. */
public record Rlimit(Resource resource, long soft, long hard) {
    public static final long INFINITY = -1L; // RLIM_INFINITY as an unsigned 64-bit value

    /** The x86-64 Linux resource numbers. */
    public enum Resource {
        CPU(0), FSIZE(1), DATA(2), STACK(3), CORE(4), RSS(5), NPROC(6), NOFILE(7), MEMLOCK(8), AS(9);

        final int number;

        Resource(int number) {
            this.number = number;
        }

        /** The kernel's number for it. */
        public int number() {
            return number;
        }
    }

    public static Rlimit of(Resource resource, long value) {
        return new Rlimit(resource, value, value);
    }

    public Rlimit {
        if (Long.compareUnsigned(soft, hard) > 0) {
            throw new IllegalArgumentException(resource + ": soft limit above hard limit");
        }
    }
}
