package org.marlopt.envs.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The event simulation against the M/M/c formulas over long runs. */
class EventSimulatorTest {

    private static final double[] NONE = {};

    /** Means over {@code steps} steps of {@code seconds}: [service 0's call latency, its utilisation, p50, p99]. */
    private static double[] run(CallGraph graph, double rate, int[] replicas, int steps, double seconds) {
        EventSimulator simulator = new EventSimulator(graph, seconds, 20, 100_000, 4);
        simulator.reset(new SplittableRandom(42));
        StepMeasurements out = new StepMeasurements(graph.size());
        double[] sums = new double[4];
        for (int step = 0; step < steps; step++) {
            simulator.simulateStep(rate, replicas, out);
            sums[0] += out.serviceLatency[0] / steps;
            sums[1] += out.utilization[0] / steps;
            sums[2] += out.p50 / steps;
            sums[3] += out.p99 / steps;
        }
        return sums;
    }

    /** M/M/2 with mu = 10, lambda = 10: E[T] = 0.13333, rho = 0.5; about 100 000 requests. */
    @Test
    void oneServiceMatchesTheMm2MeanResponseTimeAndUtilisation() {
        CallGraph single = new CallGraph(new double[] {0.1}, NONE, NONE, NONE);
        double[] measured = run(single, 10, new int[] {2}, 100, 100);
        assertEquals(Queueing.meanResponseTime(2, 10, 0.1), measured[0], 0.02 * 0.1333);
        assertEquals(0.5, measured[1], 0.01);
    }

    /** M/M/1 at rho = 0.5: T ~ Exponential(5), so p50 = ln 2 / 5 and p99 = ln 100 / 5. */
    @Test
    void oneServerGivesExponentialPercentiles() {
        CallGraph single = new CallGraph(new double[] {0.1}, NONE, NONE, NONE);
        double[] measured = run(single, 5, new int[] {1}, 20, 1000);
        assertEquals(Math.log(2) / 5, measured[2], 0.03 * Math.log(2) / 5);
        assertEquals(Math.log(100) / 5, measured[3], 0.03 * Math.log(100) / 5);
    }

    /**
     * Three services, 0 -> 1 twice, 1 -> 2 once, 0 -> 2 half the time: the analytic p50 and p99
     * (log-normal of the exact mean and variance) against the simulation: measured 0.247 vs 0.243
     * and 0.632 vs 0.694 (-9%).
     */
    @Test
    void theAnalyticPercentilesFollowTheSimulationOnASmallGraph() {
        CallGraph graph = new CallGraph(new double[] {0.05, 0.02, 0.03}, new double[] {0, 1, 0},
                new double[] {1, 2, 2}, new double[] {2, 1, 0.5});
        int[] replicas = {2, 1, 2};
        StepMeasurements analytic = new StepMeasurements(3);
        new AnalyticModel(graph, 20).evaluate(15, replicas, analytic);
        double[] measured = run(graph, 15, replicas, 10, 2000);
        assertEquals(measured[2], analytic.p50, 0.05 * measured[2]);
        assertEquals(measured[3], analytic.p99, 0.10 * measured[3]);
    }

    /** Online Boutique at its clairvoyant allocation for the peak rate 60: measured p99 0.989 vs 0.967 (+2%). */
    @Test
    void theAnalyticPercentilesFollowTheSimulationOnOnlineBoutique() {
        CallGraph graph = new CallGraph(array(MicroserviceAutoscale.BOUTIQUE_DEMANDS),
                array(MicroserviceAutoscale.BOUTIQUE_FROM), array(MicroserviceAutoscale.BOUTIQUE_TO),
                array(MicroserviceAutoscale.BOUTIQUE_COUNTS));
        AnalyticModel model = new AnalyticModel(graph, 20);
        int[] replicas = new int[graph.size()];
        new ClairvoyantAllocation(graph, model, 1.0, 1, 20).solve(60, replicas);
        StepMeasurements analytic = new StepMeasurements(graph.size());
        model.evaluate(60, replicas, analytic);
        EventSimulator simulator = new EventSimulator(graph, 1000, 20, 100_000, 20);
        simulator.reset(new SplittableRandom(42));
        StepMeasurements measured = new StepMeasurements(graph.size());
        double p50 = 0;
        double p99 = 0;
        for (int step = 0; step < 3; step++) {
            simulator.simulateStep(60, replicas, measured);
            p50 += measured.p50 / 3;
            p99 += measured.p99 / 3;
        }
        String allocation = Arrays.toString(replicas);
        assertEquals(p50, analytic.p50, 0.05 * p50, allocation);
        assertEquals(p99, analytic.p99, 0.10 * p99, allocation);
    }

    /** After warm-up, a des step with its clairvoyant bound allocates nothing (the JVM counts this thread's bytes). */
    @Test
    void aStepAllocatesNothingInSteadyState() {
        CallGraph graph = new CallGraph(array(MicroserviceAutoscale.BOUTIQUE_DEMANDS),
                array(MicroserviceAutoscale.BOUTIQUE_FROM), array(MicroserviceAutoscale.BOUTIQUE_TO),
                array(MicroserviceAutoscale.BOUTIQUE_COUNTS));
        AnalyticModel model = new AnalyticModel(graph, 5);
        ClairvoyantAllocation bound = new ClairvoyantAllocation(graph, model, 1.0, 1, 20);
        EventSimulator simulator = new EventSimulator(graph, 15, 5, 200, 20);
        simulator.reset(new SplittableRandom(3));
        StepMeasurements out = new StepMeasurements(graph.size());
        int[] replicas = new int[graph.size()];
        int[] ready = {6, 1, 2, 1, 3, 3, 2, 1, 1, 1, 1};
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocated = 0;
        for (int step = 0; step < 400; step++) {
            // the bytes of the step's calls alone (the test's own loop may allocate as the JIT compiles it)
            long before = threads.getCurrentThreadAllocatedBytes();
            simulator.simulateStep(40 + step % 20, ready, out);
            model.evaluate(40, ready, out);
            bound.solve(40 + step % 20, replicas);
            long after = threads.getCurrentThreadAllocatedBytes();
            assertTrue(before > 0, "this JVM measures allocation");
            allocated += step >= 300 ? after - before : 0;
        }
        assertEquals(0, allocated);
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
