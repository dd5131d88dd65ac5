package org.miniisolate.bench;

import java.util.Arrays;

/** Durations of one measured row, in nanoseconds, and their summary. */
record Samples(long[] nanos) {
    Samples {
        nanos = nanos.clone();
        Arrays.sort(nanos);
    }

    int count() {
        return nanos.length;
    }

    double minMs() {
        return ms(nanos[0]);
    }

    double maxMs() {
        return ms(nanos[nanos.length - 1]);
    }

    double medianMs() {
        int n = nanos.length;
        return n % 2 == 1 ? ms(nanos[n / 2]) : (ms(nanos[n / 2 - 1]) + ms(nanos[n / 2])) / 2;
    }

    /** Nearest-rank percentile. */
    double percentileMs(int p) {
        int rank = (int) Math.ceil(p / 100.0 * nanos.length);
        return ms(nanos[Math.max(0, Math.min(nanos.length - 1, rank - 1))]);
    }

    double meanMs() {
        return ms((long) Arrays.stream(nanos).average().orElse(0));
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
