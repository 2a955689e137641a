package org.marlopt.client.stats;

import org.apache.commons.statistics.inference.MannWhitneyUTest;

/**
 * The probability of improvement P(X > Y) of algorithm X over Y (rliable's
 * {@code probability_of_improvement}): per task, the chance that a run of X scores above a run of
 * Y, ties counting one half (the Mann-Whitney U statistic of X over n_X n_Y), averaged over tasks.
 */
public final class ImprovementProbability {

    private static final MannWhitneyUTest MANN_WHITNEY = MannWhitneyUTest.withDefaults();

    private ImprovementProbability() {}

    /** P(X > Y) for scores {@code [task][run]} of the same tasks, in the same order. */
    public static double of(double[][] x, double[][] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("X has scores on " + x.length + " tasks, Y on " + y.length
                    + "; compare them on the same tasks");
        }
        double sum = 0;
        for (int task = 0; task < x.length; task++) {
            sum += MANN_WHITNEY.statistic(x[task], y[task]) / ((double) x[task].length * y[task].length);
        }
        return sum / x.length;
    }
}
