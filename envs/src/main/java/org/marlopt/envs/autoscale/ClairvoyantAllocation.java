package org.marlopt.envs.autoscale;

import java.util.Arrays;

/**
 * The fewest replicas (within [min_replicas, max_replicas]) whose analytic end-to-end p99 meets
 * the SLO at a given user rate, as if replicas started at once: the clairvoyant lower bound on
 * the replica cost of a step. Greedy marginal analysis: start every service at its least stable
 * count, then add the replica that lowers the p99 most until the SLO holds. For a constraint
 * that is a sum of convex per-service terms (such as the mean latency) this greedy is exact; the
 * p99 is not such a sum, so it is a heuristic there, which the tests check against brute force.
 * When even max_replicas everywhere misses the SLO, the answer is max_replicas everywhere.
 */
final class ClairvoyantAllocation {

    private final CallGraph graph;
    private final AnalyticModel model;
    private final double slo;
    private final int minReplicas;
    private final int maxReplicas;
    private final double[] mean;
    private final double[] variance;

    ClairvoyantAllocation(CallGraph graph, AnalyticModel model, double slo, int minReplicas, int maxReplicas) {
        this.graph = graph;
        this.model = model;
        this.slo = slo;
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.mean = new double[graph.size()];
        this.variance = new double[graph.size()];
    }

    /** Fills {@code replicas} with the allocation for {@code userRate}; returns its total. */
    int solve(double userRate, int[] replicas) {
        if (!startStable(userRate, replicas)) {
            Arrays.fill(replicas, maxReplicas);
            return maxReplicas * graph.size();
        }
        model.responseTimes(userRate, replicas, mean, variance);
        while (p99() > slo) {
            int best = bestAddition(userRate, replicas);
            if (best < 0) {
                break;
            }
            model.setResponseTime(best, ++replicas[best], userRate, mean, variance);
        }
        int total = 0;
        for (int count : replicas) {
            total += count;
        }
        return total;
    }

    private double p99() {
        return model.endToEndQuantile(mean, variance, AnalyticModel.Z_99);
    }

    /** Every service at the least count with rho < 1 (and >= min_replicas); false if above max_replicas. */
    private boolean startStable(double userRate, int[] replicas) {
        for (int s = 0; s < graph.size(); s++) {
            double load = userRate * graph.visits(s) * graph.demand(s);
            replicas[s] = Math.max(minReplicas, (int) Math.floor(load) + 1);
            if (replicas[s] > maxReplicas) {
                return false;
            }
        }
        return true;
    }

    /** The service whose extra replica gives the lowest p99; -1 when all are at max_replicas. */
    private int bestAddition(double userRate, int[] replicas) {
        int best = -1;
        double bestP99 = Double.POSITIVE_INFINITY;
        for (int s = 0; s < graph.size(); s++) {
            if (replicas[s] == maxReplicas) {
                continue;
            }
            double keptMean = mean[s];
            double keptVariance = variance[s];
            model.setResponseTime(s, replicas[s] + 1, userRate, mean, variance);
            double p99 = p99();
            mean[s] = keptMean;
            variance[s] = keptVariance;
            if (p99 < bestP99) {
                bestP99 = p99;
                best = s;
            }
        }
        return best;
    }
}
