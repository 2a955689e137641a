package org.marlopt.client.stats;

import java.util.Arrays;

/**
 * An aggregate metric of normalised scores {@code [task][run]}, as rliable defines it.
 *
 * <ul>
 *   <li>{@link #IQM}: the interquartile mean of all scores pooled over tasks: the mean of what is
 *       left after dropping floor(n / 4) scores at each end of the n sorted (scipy's
 *       {@code trim_mean(scores, 0.25, axis=None)});</li>
 *   <li>{@link #MEAN}: the mean over tasks of each task's mean over runs;</li>
 *   <li>{@link #MEDIAN}: the median over tasks of each task's mean over runs;</li>
 *   <li>{@link #OPTIMALITY_GAP}: 1 minus the mean of all scores capped at 1 (how far below the
 *       optimum, on average; lower is better).</li>
 * </ul>
 */
public enum Aggregate {
    IQM {
        @Override
        public double of(double[][] scores) {
            double[] pooled = pooled(scores);
            Arrays.sort(pooled);
            int cut = pooled.length / 4;
            double sum = 0;
            for (int i = cut; i < pooled.length - cut; i++) {
                sum += pooled[i];
            }
            return sum / (pooled.length - 2 * cut);
        }
    },
    MEAN {
        @Override
        public double of(double[][] scores) {
            return Arrays.stream(taskMeans(scores)).average().orElseThrow();
        }
    },
    MEDIAN {
        @Override
        public double of(double[][] scores) {
            double[] means = taskMeans(scores);
            Arrays.sort(means);
            int middle = means.length / 2;
            return means.length % 2 == 1 ? means[middle] : (means[middle - 1] + means[middle]) / 2;
        }
    },
    OPTIMALITY_GAP {
        @Override
        public double of(double[][] scores) {
            return 1 - Arrays.stream(pooled(scores)).map(score -> Math.min(score, 1)).average().orElseThrow();
        }
    };

    /** The metric of {@code scores[task][run]} (at least one task, each with at least one run). */
    public abstract double of(double[][] scores);

    /** The name in tables and JSON: iqm, mean, median, optimality_gap. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The name in plots: Median, IQM, Mean, Optimality gap. */
    public String title() {
        return this == IQM ? "IQM" : this == OPTIMALITY_GAP ? "Optimality gap"
                : name().charAt(0) + name().substring(1).toLowerCase(java.util.Locale.ROOT);
    }

    static double[] pooled(double[][] scores) {
        return Arrays.stream(scores).flatMapToDouble(Arrays::stream).toArray();
    }

    private static double[] taskMeans(double[][] scores) {
        return Arrays.stream(scores).mapToDouble(runs -> Arrays.stream(runs).average().orElseThrow()).toArray();
    }
}
