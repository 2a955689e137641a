package org.marlopt.client.io;

import java.util.Locale;

/**
 * What {@code String.format(Locale.ROOT, "%.6g", value)} writes, without {@code java.util.Formatter}:
 * the number format of the per-round CSV. A default run writes about 20,000 numbers there, enough
 * that the JIT compiled Formatter and the JDK's binary-to-decimal conversion again and again
 * (about 2 s of CPU, a tenth of the whole process); this scales the value to a six-digit integer
 * instead. It agrees with %.6g except for a value within about 1e-10 of halfway between two
 * six-digit decimals, whose last digit may then differ by one.
 */
public final class SixDigits {

    private static final long SMALLEST = 100_000;

    private SixDigits() {}

    public static String format(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value); // NaN, Infinity, -Infinity, as %g writes them
        }
        double magnitude = Math.abs(value);
        int exponent = magnitude == 0 ? 0 : (int) Math.floor(Math.log10(magnitude));
        if (exponent < -300 || exponent > 300) {
            return String.format(Locale.ROOT, "%.6g", value); // beyond what one power of ten scales exactly
        }
        long digits = scaled(magnitude, 5 - exponent);
        if (digits >= 10 * SMALLEST) { // rounded up to the next power of ten
            digits /= 10;
            exponent++;
        } else if (digits < SMALLEST && magnitude != 0) { // log10 rounded up across a power of ten
            exponent--;
            digits = scaled(magnitude, 5 - exponent);
        }
        StringBuilder text = new StringBuilder(16);
        if (value < 0 || 1 / value < 0) {
            text.append('-');
        }
        String six = magnitude == 0 ? "000000" : Long.toString(digits);
        if (exponent >= -4 && exponent < 6) {
            int point = exponent + 1; // digits before the decimal point
            if (point <= 0) {
                text.append("0.").append("0000", 0, -point).append(six);
            } else {
                text.append(six, 0, point);
                if (point < 6) {
                    text.append('.').append(six, point, 6);
                }
            }
        } else {
            text.append(six.charAt(0)).append('.').append(six, 1, 6).append(exponent < 0 ? "e-" : "e+");
            int size = Math.abs(exponent);
            text.append(size < 10 ? "0" : "").append(size);
        }
        return text.toString();
    }

    /** magnitude x 10^shift rounded to an integer; a negative shift divides, which rounds once. */
    private static long scaled(double magnitude, int shift) {
        return Math.round(shift >= 0 ? magnitude * Math.pow(10, shift) : magnitude / Math.pow(10, -shift));
    }
}
