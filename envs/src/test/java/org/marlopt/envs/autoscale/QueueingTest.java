package org.marlopt.envs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class QueueingTest {

    @Test
    void erlangCWithOneServerIsTheUtilisation() {
        assertEquals(0.3, Queueing.erlangC(1, 0.3), 1e-12);
        assertEquals(0.9, Queueing.erlangC(1, 0.9), 1e-12);
    }

    /** c = 2, a = 1: P0 = 1 / (1 + 1 + 1^2 / (2! (1 - 1/2))) = 1/3, C = a^2 / (2! (1 - 1/2)) P0 = 1/3. */
    @Test
    void erlangCWithTwoServersAtLoadOneIsOneThird() {
        assertEquals(1.0 / 3, Queueing.erlangC(2, 1.0), 1e-12);
    }

    /** c = 3, a = 2: P0 = 1 / (1 + 2 + 2 + 8 / (6 (1/3))) = 1/9, C = 4 P0 = 4/9. */
    @Test
    void erlangCWithThreeServersAtLoadTwo() {
        assertEquals(4.0 / 9, Queueing.erlangC(3, 2.0), 1e-12);
    }

    @Test
    void aSaturatedQueueAlwaysWaits() {
        assertEquals(1.0, Queueing.erlangC(2, 2.0));
        assertEquals(false, Queueing.stable(2, 20, 0.1));
        assertEquals(true, Queueing.stable(3, 20, 0.1));
    }

    /** M/M/1, mu = 10, lambda = 5: T ~ Exponential(mu - lambda), mean 0.2, variance 0.04. */
    @Test
    void mm1ResponseTimeIsExponentialOfRateMuMinusLambda() {
        assertEquals(0.2, Queueing.meanResponseTime(1, 5, 0.1), 1e-12);
        assertEquals(0.04, Queueing.responseTimeVariance(1, 5, 0.1), 1e-12);
    }

    /**
     * M/M/2, mu = 10, lambda = 10 (a = 1, C = 1/3): E[T] = 0.1 + (1/3) / (20 - 10) = 0.13333;
     * Var[T] = 0.01 + (2/3 - 1/9) / 100 = 0.0155556.
     */
    @Test
    void mm2ResponseTimeMeanAndVariance() {
        assertEquals(0.1 + 1.0 / 30, Queueing.meanResponseTime(2, 10, 0.1), 1e-12);
        assertEquals(0.01 + (2.0 / 3 - 1.0 / 9) / 100, Queueing.responseTimeVariance(2, 10, 0.1), 1e-12);
    }
}
