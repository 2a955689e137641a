package org.marlopt.client.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SmootherTest {

    /** 200 rounds of 960 env steps, the seed's round, ending at uneven steps for the last ten. */
    static final double[] X = IntStream.range(0, 200).mapToDouble(i -> 960.0 * (i + 1) + (i >= 190 ? 37 * (i - 189) : 0))
            .toArray();

    @Test
    void aStraightLineComesBackUnchangedAtTheEndsToo() {
        // no lag anywhere (a trailing mean lags by half its window), and no kink where a window
        // stops growing: a line's second differences stay 0
        double[] line = IntStream.range(0, X.length).mapToDouble(i -> -3 + 2e-5 * X[i]).toArray();
        double[] smooth = Smoother.smooth(X, line, 40 * 960);
        for (int i = 0; i < X.length; i++) {
            assertEquals(line[i], smooth[i], 1e-9, "at row " + i);
        }
    }

    @Test
    void aStepIsCentredOnWhereItHappens() {
        double at = X[99];
        double[] step = IntStream.range(0, X.length).mapToDouble(i -> X[i] > at ? 1 : 0).toArray();
        double[] smooth = Smoother.smooth(X, step, 20 * 960);
        // halfway between the last 0 and the first 1, the curve passes 1/2: not later, as a trailing mean's would
        assertTrue(smooth[99] < 0.5 && smooth[100] > 0.5, smooth[99] + ", " + smooth[100]);
        assertEquals(1 - smooth[99], smooth[100], 1e-9, "symmetric about the step");
        assertEquals(0, smooth[70], 1e-12, "beyond the window the step is not felt");
        assertEquals(1, smooth[130], 1e-12);
    }

    @Test
    void aCurveStaysSmoothWhereTheWindowMeetsTheEnds() {
        // a parabola's smoothing has smooth second differences: no jump as points enter or leave the window
        double[] parabola = IntStream.range(0, 100).mapToDouble(i -> (i - 30) * (i - 30) / 100.0).toArray();
        double[] x = IntStream.range(0, 100).asDoubleStream().toArray();
        double[] smooth = Smoother.smooth(x, parabola, 15);
        for (int i = 2; i < x.length - 1; i++) {
            double curvature = smooth[i + 1] - 2 * smooth[i] + smooth[i - 1];
            double before = smooth[i] - 2 * smooth[i - 1] + smooth[i - 2];
            assertEquals(before, curvature, 0.004, "second differences jump at row " + i);
        }
    }

    @Test
    void badArgumentsAreRefusedNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Smoother.smooth(new double[2], new double[3], 1))
                .getMessage().contains("one length"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Smoother.smooth(new double[2], new double[2], 0))
                .getMessage().contains("halfWidth"));
    }
}
