package org.marlopt.client.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The statistics against cases worked by hand. */
class StatisticsTest {

    @Test
    void theInterquartileMeanDropsAQuarterAtEachEndOfThePooledScores() {
        assertEquals(4.5, Aggregate.IQM.of(new double[][] {{1, 2, 3, 4, 5, 6, 7, 8}}), 1e-12, "mean of 3, 4, 5, 6");
        assertEquals(5.5, Aggregate.IQM.of(new double[][] {{1, 2, 3, 4, 5}, {6, 7, 8, 9, 10}}), 1e-12,
                "pooled over tasks: floor(10 / 4) = 2 dropped at each end, mean of 3..8");
        assertEquals(3, Aggregate.IQM.of(new double[][] {{100, 1, 3, 2, 4}}), 1e-12,
                "floor(5 / 4) = 1 dropped at each end: an outlier does not count");
        assertEquals(7, Aggregate.IQM.of(new double[][] {{7}}), 1e-12);
    }

    @Test
    void meanMedianAndOptimalityGapFollowRliable() {
        double[][] scores = {{0, 1}, {0.5, 0.5}, {1, 2}};
        assertEquals((0.5 + 0.5 + 1.5) / 3, Aggregate.MEAN.of(scores), 1e-12, "mean of the task means");
        assertEquals(0.5, Aggregate.MEDIAN.of(scores), 1e-12, "median of the task means 0.5, 0.5, 1.5");
        assertEquals(1 - (0 + 1 + 0.5 + 0.5 + 1 + 1) / 6, Aggregate.OPTIMALITY_GAP.of(scores), 1e-12,
                "a score above 1 counts as 1");
        assertEquals(0.75, Aggregate.MEDIAN.of(new double[][] {{0.5}, {1}}), 1e-12, "even count: the middle two");
    }

    @Test
    void improvementProbabilityCountsTiesAsOneHalfAndAveragesOverTasks() {
        assertEquals(1, ImprovementProbability.of(new double[][] {{1, 2, 3}}, new double[][] {{0, 0, 0}}), 1e-12);
        assertEquals(0, ImprovementProbability.of(new double[][] {{0, 0, 0}}, new double[][] {{1, 2, 3}}), 1e-12);
        assertEquals(0.5, ImprovementProbability.of(new double[][] {{1, 2}}, new double[][] {{1, 2}}), 1e-12,
                "pairs (1,1) 1/2, (1,2) 0, (2,1) 1, (2,2) 1/2");
        assertEquals(0.5, ImprovementProbability.of(new double[][] {{1, 2, 3}, {5}}, new double[][] {{4, 4}, {4}}),
                1e-12, "task 1: 0 of 6 pairs, task 2: 1 of 1, averaged over the tasks (not pooled: 1 of 7)");
    }

    @Test
    void performanceProfileIsTheFractionAboveEachThresholdAveragedOverTasks() {
        double[][] scores = {{0.2, 0.6, 1.0, 1.4}, {0.5, 0.5}};
        assertArrayEquals(new double[] {(1.0 + 1.0) / 2, (3 / 4.0 + 0) / 2, (1 / 4.0 + 0) / 2},
                PerformanceProfile.of(scores, new double[] {0.1, 0.5, 1.0}), 1e-12);
    }

    /**
     * One task, runs {0, 1}: a resample's mean is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4,
     * so the 95% interval is [0, 1]; with every score equal it shrinks to the point.
     */
    @Test
    void theStratifiedBootstrapResamplesRunsWithinEachTask() {
        StratifiedBootstrap bootstrap = new StratifiedBootstrap(20_000, 7);
        double[] replicas = bootstrap.replicas(new double[][] {{0, 1}}, Aggregate.MEAN::of);
        long halves = Arrays.stream(replicas).filter(value -> value == 0.5).count();
        assertEquals(0.5, halves / 20_000.0, 0.02);
        assertEquals(0.25, Arrays.stream(replicas).filter(value -> value == 0).count() / 20_000.0, 0.02);
        Estimate mean = bootstrap.estimate(new double[][] {{0, 1}}, Aggregate.MEAN::of, 0.95);
        assertEquals(new Estimate(0.5, 0, 1), mean);
        assertEquals(new Estimate(0.3, 0.3, 0.3),
                bootstrap.estimate(new double[][] {{0.3, 0.3}, {0.3}}, Aggregate.IQM::of, 0.95));
        // stratified: a task with a single run is always that run, so its task mean never moves
        double[] stratified = bootstrap.replicas(new double[][] {{0, 1}, {5}}, Aggregate.MEAN::of);
        assertTrue(Arrays.stream(stratified).allMatch(value -> value == 2.5 || value == 2.75 || value == 3),
                "(task mean in {0, 0.5, 1} + 5) / 2");
        assertEquals(bootstrap.estimate(new double[][] {{0, 1}}, Aggregate.MEAN::of, 0.95), mean, "seeded: repeats");
    }

    @Test
    void improvementProbabilityHasABootstrapIntervalToo() {
        StratifiedBootstrap bootstrap = new StratifiedBootstrap(5_000, 3);
        Estimate certain = bootstrap.improvementProbability(new double[][] {{2, 3}}, new double[][] {{0, 1}}, 0.95);
        assertEquals(new Estimate(1, 1, 1), certain, "every run of X above every run of Y, in every resample");
        Estimate even = bootstrap.improvementProbability(new double[][] {{0, 1}}, new double[][] {{0, 1}}, 0.95);
        assertEquals(0.5, even.value(), 1e-12);
        assertTrue(even.low() < 0.5 && even.high() > 0.5, even.toString());
    }

    @Test
    void badInputNamesTheFix() {
        assertThrows(IllegalArgumentException.class, () -> new StratifiedBootstrap(0, 1));
        IllegalArgumentException tasks = assertThrows(IllegalArgumentException.class,
                () -> ImprovementProbability.of(new double[][] {{1}}, new double[][] {{1}, {2}}));
        assertTrue(tasks.getMessage().contains("same tasks"), tasks.getMessage());
        IllegalArgumentException confidence = assertThrows(IllegalArgumentException.class,
                () -> new StratifiedBootstrap(10, 1).estimate(new double[][] {{1}}, Aggregate.MEAN::of, 95));
        assertTrue(confidence.getMessage().contains("0.95"), confidence.getMessage());
    }
}
