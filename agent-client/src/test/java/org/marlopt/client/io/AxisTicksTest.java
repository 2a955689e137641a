package org.marlopt.client.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class AxisTicksTest {

    @Test
    void ticksAreRoundMultiplesOfOneTwoOrFiveTimesAPowerOfTen() {
        // 960,000 env steps (the seed's default run): XChart drew 0, 38, 76, ... or 9.6E4, 1.92E5, ...
        assertArrayEquals(new double[] {0, 200_000, 400_000, 600_000, 800_000}, AxisTicks.between(0, 960_000, 8));
        assertArrayEquals(new double[] {0, 0.2, 0.4, 0.6, 0.8, 1}, AxisTicks.between(0, 1, 6));
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, AxisTicks.between(-1, 1, 5));
        assertArrayEquals(new double[] {1_000_000, 1_500_000, 2_000_000}, AxisTicks.between(950_000, 2_000_000, 4));
        assertArrayEquals(new double[] {1_000_000, 2_000_000}, AxisTicks.between(950_000, 2_000_000, 3));
    }

    @Test
    void theStepIsTheSmallestRoundOneThatKeepsTheTicksWithinTheCount() {
        for (double span : new double[] {0.7, 3, 13, 960_000, 1.9e6, 4.2e9}) {
            for (int count = 4; count <= 9; count++) {
                double[] ticks = AxisTicks.between(0, span, count);
                double step = ticks[1] - ticks[0];
                double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-9));
                assertTrue(List.of(1.0, 2.0, 5.0).stream().anyMatch(m -> Math.abs(m - mantissa) < 1e-6),
                        "step " + step + " for span " + span);
                assertTrue(ticks.length <= count && ticks.length >= 2,
                        Arrays.toString(ticks) + " for at most " + count);
            }
        }
    }

    @Test
    void countsReadWithSiPrefixesAndFractionsAsPercent() {
        assertEquals(List.of("0", "500", "250k", "1.5M", "2G", "-200k"),
                Arrays.stream(new double[] {0, 500, 250_000, 1_500_000, 2e9, -200_000}).mapToObj(AxisTicks::si)
                        .toList());
        assertEquals(List.of("0%", "20%", "100%", "99.5%"),
                Arrays.stream(new double[] {0, 0.2, 1, 0.995}).mapToObj(AxisTicks::percent).toList());
        assertEquals(List.of("0", "0.05", "-0.01", "1e-5"),
                Arrays.stream(new double[] {0, 0.05, -0.01, 1e-5}).mapToObj(AxisTicks::number).toList());
    }
}
