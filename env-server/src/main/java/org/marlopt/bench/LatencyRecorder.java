package org.marlopt.bench;

import java.util.Arrays;

/**
 * Per-call latencies of one measurement, in nanoseconds. Keeps the most recent
 * {@value #CAPACITY} calls (percentiles are taken over them) so that fast in-process loops of
 * millions of calls neither grow memory nor pause to resize.
 */
final class LatencyRecorder {

    private static final int CAPACITY = 1 << 20;

    private final long[] nanos = new long[CAPACITY];
    private long count;

    void record(long latencyNanos) {
        nanos[(int) (count++ & (CAPACITY - 1))] = latencyNanos;
    }

    long count() {
        return count;
    }

    /** The latency at quantile {@code q} in microseconds (nearest rank over the kept calls). */
    double percentileMicros(double q) {
        int kept = (int) Math.min(count, CAPACITY);
        if (kept == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(nanos, kept);
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * kept) - 1;
        return sorted[Math.max(0, Math.min(kept - 1, rank))] / 1_000.0;
    }
}
