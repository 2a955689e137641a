package org.marlopt.client.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReturnScaleTest {

    /** The seed's returns: -5 at first, then approaching 0 as -0.02. */
    static final double[] SEED = IntStream.range(0, 1000).mapToDouble(i -> -5 * Math.pow(0.99, i) - 0.015).toArray();

    @Test
    void returnsSpanningDecadesGetSymlogWithTheThresholdAtTheirLowDecade() {
        ReturnScale scale = ReturnScale.of(SEED);
        assertEquals(0.01, scale.threshold(), 1e-12);
        assertArrayEquals(new double[] {-1, -0.1, -0.01, 0}, scale.ticks(-5, 0, 6), 1e-12);
        // each tenfold fall of the error is the same distance on the axis
        double decade = scale.apply(-1) - scale.apply(-0.1);
        assertEquals(decade, scale.apply(-10) - scale.apply(-1), 0.05 * Math.abs(decade));
        for (double y : new double[] {-5, -0.02, 0, 0.003, 7}) {
            assertEquals(y, scale.invert(scale.apply(y)), 1e-12);
        }
    }

    @Test
    void returnsWithinADecadeOrTwoStayLinear() {
        ReturnScale scale = ReturnScale.of(new double[] {0.5, 0.7, 0.9, 12});
        assertTrue(scale.linear());
        assertEquals(0.7, scale.apply(0.7));
        assertArrayEquals(new double[] {0, 5, 10}, scale.ticks(0, 12, 4));
        assertTrue(ReturnScale.of(new double[] {0, 0}).linear(), "all zero: nothing to take a log of");
    }

    @Test
    void tooManyDecadesForTheTicksKeepEveryOtherAndZero() {
        ReturnScale scale = new ReturnScale(1e-4);
        double[] ticks = scale.ticks(-100, 0, 4);
        assertTrue(ticks.length <= 4, java.util.Arrays.toString(ticks));
        assertEquals(0, ticks[ticks.length - 1]);
    }
}
