package org.marlopt.client.io;

import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Tick positions and labels the charts choose themselves. XChart places x ticks at data values when
 * every series' x values are equally spaced (which env steps per round are), giving ticks such as 38,
 * 76, 114 or 9.6E4; here ticks are round numbers, steps of 1, 2 or 5 times a power of ten.
 */
public final class AxisTicks {

    private static final double[] MANTISSAS = {1, 2, 5, 10};

    private AxisTicks() {}

    /** The multiples of the smallest 1-2-5 step that puts at most {@code maxCount} (>= 2) ticks in [min, max]. */
    public static double[] between(double min, double max, int maxCount) {
        if (!(max > min)) {
            return new double[] {min};
        }
        double step = step((max - min) / (maxCount - 1));
        List<Double> ticks = new ArrayList<>();
        // integer multiples, so 0.1 * 3 is written 0.3, not 0.30000000000000004
        for (long k = (long) Math.ceil(min / step - 1e-9); k * step <= max + step * 1e-9; k++) {
            ticks.add(clean(k * step));
        }
        // a span below 12 significant digits of its values rounds ticks together: keep each once
        return ticks.stream().mapToDouble(Double::doubleValue).distinct().toArray();
    }

    /** The smallest step of 1, 2 or 5 times a power of ten that is at least {@code least}. */
    static double step(double least) {
        double power = Math.pow(10, Math.floor(Math.log10(least)));
        for (double mantissa : MANTISSAS) {
            if (mantissa * power >= least * (1 - 1e-9)) {
                return clean(mantissa * power);
            }
        }
        throw new AssertionError("10 * power >= least always");
    }

    /** Counts such as env steps as 0, 500, 200k, 1.5M, 2G (SI prefixes): long runs' plain numbers are too wide. */
    public static String si(double value) {
        double size = Math.abs(value);
        if (size >= 1e9) {
            return decimal(value / 1e9) + "G";
        }
        if (size >= 1e6) {
            return decimal(value / 1e6) + "M";
        }
        if (size >= 1e3) {
            return decimal(value / 1e3) + "k";
        }
        return decimal(value);
    }

    /** A fraction as a percentage: 0.25 as 25%. */
    public static String percent(double fraction) {
        return decimal(100 * fraction) + "%";
    }

    /** A tick label: a plain number, or 1e-5 where four decimals would round it to 0. */
    public static String number(double value) {
        double size = Math.abs(value);
        return size == 0 || size >= 1e-3 ? decimal(value) : String.format(Locale.ROOT, "%.0e", value).replace("e-0", "e-");
    }

    /** A plain number with up to four decimals and no trailing zeros: 0.05, not .05 or 0.0500. */
    public static String decimal(double value) {
        // a new format each time: DecimalFormat is not thread-safe and charts may be drawn in parallel
        String text = new DecimalFormat("0.####", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value);
        return text.equals("-0") ? "0" : text;
    }

    /** {@code value} rounded to 12 significant digits, dropping the binary fraction's noise. */
    private static double clean(double value) {
        return value == 0 ? 0 : new java.math.BigDecimal(value).round(new java.math.MathContext(12)).doubleValue();
    }
}
