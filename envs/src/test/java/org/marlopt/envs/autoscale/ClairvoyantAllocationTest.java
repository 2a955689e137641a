package org.marlopt.envs.autoscale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The greedy allocation against every allocation of a three-service graph with 1..6 replicas each. */
class ClairvoyantAllocationTest {

    private static final int MAX = 6;
    private static final CallGraph GRAPH = new CallGraph(new double[] {0.05, 0.02, 0.03}, new double[] {0, 1, 0},
            new double[] {1, 2, 2}, new double[] {2, 1, 0.5});
    private static final AnalyticModel MODEL = new AnalyticModel(GRAPH, 20);

    @ParameterizedTest
    @CsvSource({"5, 0.5", "15, 0.5", "30, 0.5", "30, 0.6", "60, 0.6", "15, 0.45", "60, 0.8", "45, 0.55"})
    void meetsTheSloWithTheFewestReplicas(double rate, double slo) {
        int[] greedy = new int[3];
        int total = new ClairvoyantAllocation(GRAPH, MODEL, slo, 1, MAX).solve(rate, greedy);
        int fewest = Integer.MAX_VALUE;
        for (int a = 1; a <= MAX; a++) {
            for (int b = 1; b <= MAX; b++) {
                for (int c = 1; c <= MAX; c++) {
                    if (a + b + c < fewest && p99(rate, new int[] {a, b, c}) <= slo) {
                        fewest = a + b + c;
                    }
                }
            }
        }
        assertTrue(fewest < Integer.MAX_VALUE, "the case must be feasible");
        assertEquals(fewest, total, "rate " + rate + " slo " + slo);
        assertEquals(greedy[0] + greedy[1] + greedy[2], total);
        assertTrue(p99(rate, greedy) <= slo);
    }

    /** p99 floor of this graph is above 0.2 s: no allocation meets it, so every service gets the maximum. */
    @ParameterizedTest
    @CsvSource({"15, 0.2", "500, 0.5"})
    void anUnreachableSloGetsEveryServiceAtTheMaximum(double rate, double slo) {
        int[] replicas = new int[3];
        assertEquals(3 * MAX, new ClairvoyantAllocation(GRAPH, MODEL, slo, 1, MAX).solve(rate, replicas));
        assertArrayEquals(new int[] {MAX, MAX, MAX}, replicas);
    }

    private static double p99(double rate, int[] replicas) {
        StepMeasurements out = new StepMeasurements(3);
        MODEL.evaluate(rate, replicas, out);
        return out.p99;
    }
}
