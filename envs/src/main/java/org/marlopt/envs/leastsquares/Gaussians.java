package org.marlopt.envs.leastsquares;

import java.util.SplittableRandom;

/**
 * Normal draws by the Box-Muller transform on {@link SplittableRandom#nextDouble()}.
 * SplittableRandom does offer nextGaussian (Java 17's RandomGenerator default), but that is a
 * ziggurat whose tables and steps are a JDK implementation detail. Pinning the algorithm here,
 * with StrictMath for the last bit, makes a seed give the same problem on every JDK and lets
 * other languages reproduce the draws from the documented SplitMix64 stream.
 */
final class Gaussians {

    private Gaussians() {}

    /**
     * Fills {@code values} in order with independent N(0, standardDeviation^2) draws: each pair
     * of elements takes two uniforms (an odd last element uses the cosine and drops the sine).
     */
    static void fill(SplittableRandom random, double[] values, double standardDeviation) {
        for (int i = 0; i < values.length; i += 2) {
            // 1 - u lies in (0, 1], so the logarithm is finite
            double radius = standardDeviation * StrictMath.sqrt(-2 * StrictMath.log(1 - random.nextDouble()));
            double angle = 2 * Math.PI * random.nextDouble();
            values[i] = radius * StrictMath.cos(angle);
            if (i + 1 < values.length) {
                values[i + 1] = radius * StrictMath.sin(angle);
            }
        }
    }
}
