package org.marlopt.client.stats;

/**
 * A performance profile (rliable's run-score distribution): for each threshold tau, the fraction
 * of runs scoring above tau, per task, averaged over tasks.
 */
public final class PerformanceProfile {

    private PerformanceProfile() {}

    /** The fraction above each of {@code thresholds} of scores {@code [task][run]}. */
    public static double[] of(double[][] scores, double[] thresholds) {
        double[] fractions = new double[thresholds.length];
        for (int t = 0; t < thresholds.length; t++) {
            double sum = 0;
            for (double[] runs : scores) {
                int above = 0;
                for (double score : runs) {
                    above += score > thresholds[t] ? 1 : 0;
                }
                sum += (double) above / runs.length;
            }
            fractions[t] = sum / scores.length;
        }
        return fractions;
    }
}
