package org.marlopt.client.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SixDigits against Formatter's %.6g, which it replaces in the per-round CSV. */
class SixDigitsTest {

    @Test
    void writesWhatPercentSixGWrites() {
        double[] edges = {0.0, -0.0, 0.5, -0.0045123456, 123456.7, 999999.5, 100000, 1e-4, 9.99999e-5, 9.999999e-5,
                1234567.0, 1e-5, -1.5e-7, 0.000123456789, 1e100, -3e-300, 1e-310, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, 10, 0.1, 0.001, 5, -247.1472};
        for (double value : edges) {
            assertEquals(percentSixG(value), SixDigits.format(value), "value " + value);
        }
    }

    @Test
    void agreesOnRandomValuesOfEveryMagnitudeACSVHolds() {
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 50_000; i++) {
            double value = (random.nextBoolean() ? -1 : 1) * random.nextDouble(1, 10) * Math.pow(10, random.nextInt(-12, 13));
            assertEquals(percentSixG(value), SixDigits.format(value), "value " + value);
            float single = (float) random.nextDouble(-300, 300);
            assertEquals(percentSixG(single), SixDigits.format(single), "value " + single);
        }
    }

    @Test
    void wallSecondsHaveThreeDecimalsAsPercentThreeFWritesThem() {
        for (double seconds : new double[] {0, 0.0004, 0.0005, 0.012, 1.5, 11.2345, 59.9996, 1234.5678}) {
            assertEquals(String.format(Locale.ROOT, "%.3f", seconds), EpisodeCsv.seconds(seconds), "seconds " + seconds);
        }
    }

    private static String percentSixG(double value) {
        return String.format(Locale.ROOT, "%.6g", value);
    }
}
