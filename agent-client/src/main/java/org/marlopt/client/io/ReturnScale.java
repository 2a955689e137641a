package org.marlopt.client.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The y scale of a return panel: linear, or symmetric log when the returns span decades.
 *
 * <p>Returns that are minus a distance (the seed's -|target - sum|) start near -5 and approach 0
 * as -0.02: on a linear axis everything after the first rise is one flat line at 0, though the
 * error keeps falling tenfold. A log axis shows each tenfold fall as the same step, but it cannot
 * show 0 or a change of sign; symlog (as matplotlib's) is sign(y) log10(1 + |y| / c): log beyond
 * the threshold c, linear within it, so 0 and both signs stay drawable. c is the decade at or below
 * the 5th percentile of |y|, so nearly every point lies in the log part.
 *
 * @param threshold c, or 0 for a linear scale
 */
public record ReturnScale(double threshold) {

    /** The data must span at least this many decades for the log scale to be worth its unfamiliarity. */
    static final double MIN_DECADES = 2;

    public static final ReturnScale LINEAR = new ReturnScale(0);

    /** Symlog when the bulk of |y| spans {@link #MIN_DECADES} decades or more, else linear. */
    public static ReturnScale of(double[] values) {
        double[] sizes = Arrays.stream(values).filter(Double::isFinite).map(Math::abs).filter(v -> v > 0).sorted()
                .toArray();
        if (sizes.length == 0) {
            return LINEAR;
        }
        double low = sizes[(int) (0.05 * (sizes.length - 1))];
        double high = sizes[sizes.length - 1];
        if (Math.log10(high / low) < MIN_DECADES) {
            return LINEAR;
        }
        return new ReturnScale(Math.pow(10, Math.floor(Math.log10(low))));
    }

    public boolean linear() {
        return threshold == 0;
    }

    /** Data to axis units. */
    public double apply(double y) {
        return linear() ? y : Math.signum(y) * Math.log10(1 + Math.abs(y) / threshold);
    }

    /** Axis units back to data. */
    public double invert(double axis) {
        return linear() ? axis : Math.signum(axis) * threshold * (Math.pow(10, Math.abs(axis)) - 1);
    }

    public double[] apply(double[] ys) {
        return Arrays.stream(ys).map(this::apply).toArray();
    }

    /**
     * Ticks, in data units, for data in [min, max]: on a linear scale round numbers, on symlog 0 and
     * the powers of ten from c outward with their signs (-1, -0.1, -0.01, 0).
     */
    public double[] ticks(double min, double max, int maxCount) {
        if (linear()) {
            return AxisTicks.between(min, max, maxCount);
        }
        List<Double> ticks = new ArrayList<>();
        for (double power = threshold; power <= Math.max(-min, max) * (1 + 1e-9); power *= 10) {
            if (-power >= min) {
                ticks.add(-power);
            }
            if (power <= max) {
                ticks.add(power);
            }
        }
        if (min <= 0 && max >= 0) {
            ticks.add(0.0);
        }
        double[] sorted = ticks.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        // more decades than labels fit: every second or third one
        int stride = (sorted.length + maxCount - 1) / maxCount;
        return java.util.stream.IntStream.range(0, sorted.length).filter(i -> (sorted.length - 1 - i) % stride == 0)
                .mapToDouble(i -> sorted[i]).toArray();
    }

    public String describe() {
        return linear() ? "" : " (symlog: log beyond \u00b1" + AxisTicks.decimal(threshold) + ")";
    }
}
