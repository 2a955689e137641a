package org.marlopt.envs.loadbalance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PowerOfTwoChoicesTest {

    @Test
    void distinctLengthsGetTwoNMinusRPlusOneOverNSquared() {
        float[] probabilities = new float[4];
        PowerOfTwoChoices.rankProbabilities(new float[] {5, 0, 9, 2}, 4, probabilities);
        assertArrayEquals(new float[] {3 / 16f, 7 / 16f, 1 / 16f, 5 / 16f}, probabilities, 1e-7f);
    }

    @Test
    void tiedLengthsShareTheirRanksProbabilities() {
        float[] probabilities = new float[3];
        PowerOfTwoChoices.rankProbabilities(new float[] {1, 3, 1}, 3, probabilities);
        // ranks 1 and 2 share (5 + 3) / 9; rank 3 gets 1 / 9
        assertArrayEquals(new float[] {4 / 9f, 1 / 9f, 4 / 9f}, probabilities, 1e-7f);
    }

    /** The per-job rule itself: two uniform samples with replacement, the shorter, a coin between equals. */
    @Test
    void theProbabilitiesMatchAMonteCarloOfThePerJobRule() {
        SplittableRandom random = new SplittableRandom(2);
        float[] queues = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        int n = queues.length;
        float[] probabilities = new float[n];
        PowerOfTwoChoices.rankProbabilities(queues, n, probabilities);
        int samples = 400_000;
        int[] counts = new int[n];
        for (int i = 0; i < samples; i++) {
            int a = random.nextInt(n);
            int b = random.nextInt(n);
            int chosen = queues[a] < queues[b] ? a : queues[b] < queues[a] ? b : random.nextBoolean() ? a : b;
            counts[chosen]++;
        }
        double total = 0;
        for (int j = 0; j < n; j++) {
            // four standard deviations of a binomial frequency
            double tolerance = 4 * Math.sqrt(probabilities[j] * (1 - probabilities[j]) / samples);
            assertEquals(probabilities[j], counts[j] / (double) samples, tolerance, "server " + j);
            total += probabilities[j];
        }
        assertEquals(1, total, 1e-6);
    }
}
