package io.github.singleinstance.benchmarks;

import java.util.Arrays;

/** Nearest-rank percentiles of timing samples. */
final class Percentile {

    private Percentile() {}

    /** The {@code percent}-th percentile of {@code values} (nearest rank); NaN if there are none. */
    static double of(long[] values, int percent) {
        if (values.length == 0) {
            return Double.NaN;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(index, sorted.length - 1))];
    }
}
