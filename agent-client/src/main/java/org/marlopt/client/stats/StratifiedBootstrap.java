package org.marlopt.client.stats;

import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * Percentile confidence intervals by the stratified bootstrap (rliable's default): every
 * repetition resamples each task's runs with replacement, keeping every task and its number of
 * runs, and recomputes the statistic; the interval is the (1 - c) / 2 and (1 + c) / 2 quantiles
 * of the repetitions (linear interpolation, numpy's default). Seeded, so a summary repeats.
 */
public final class StratifiedBootstrap {

    private static final Quantile QUANTILE = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7);

    private final int repetitions;
    private final long seed;

    /** @param repetitions resamples per interval (rliable uses 50,000; 2,000 is a common minimum) */
    public StratifiedBootstrap(int repetitions, long seed) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, got " + repetitions);
        }
        this.repetitions = repetitions;
        this.seed = seed;
    }

    /** {@code statistic} of {@code scores[task][run]} with its {@code confidence} interval. */
    public Estimate estimate(double[][] scores, ToDoubleFunction<double[][]> statistic, double confidence) {
        return interval(statistic.applyAsDouble(scores), replicas(scores, statistic), confidence);
    }

    /** P(X > Y) with its interval, both algorithms' runs resampled within each task. */
    public Estimate improvementProbability(double[][] x, double[][] y, double confidence) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicas = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            replicas[r] = ImprovementProbability.of(resample(x, random), resample(y, random));
        }
        return interval(ImprovementProbability.of(x, y), replicas, confidence);
    }

    /** The distribution of the statistic over the repetitions (for tests and plots). */
    double[] replicas(double[][] scores, ToDoubleFunction<double[][]> statistic) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] replicas = new double[repetitions];
        for (int r = 0; r < repetitions; r++) {
            replicas[r] = statistic.applyAsDouble(resample(scores, random));
        }
        return replicas;
    }

    private static double[][] resample(double[][] scores, SplittableRandom random) {
        double[][] resampled = new double[scores.length][];
        for (int task = 0; task < scores.length; task++) {
            double[] runs = scores[task];
            resampled[task] = new double[runs.length];
            for (int i = 0; i < runs.length; i++) {
                resampled[task][i] = runs[random.nextInt(runs.length)];
            }
        }
        return resampled;
    }

    private static Estimate interval(double value, double[] replicas, double confidence) {
        if (!(confidence > 0 && confidence < 1)) {
            throw new IllegalArgumentException("confidence must be in (0, 1), e.g. 0.95, got " + confidence);
        }
        double[] bounds = QUANTILE.evaluate(replicas, (1 - confidence) / 2, (1 + confidence) / 2);
        return new Estimate(value, bounds[0], bounds[1]);
    }
}
