package org.marlopt.envs.autoscale;

import java.util.Arrays;

/**
 * The fewest replicas (within [min_replicas, max_replicas]) whose analytic end-to-end p99 meets
 * the SLO at a given user rate, as if replicas started at once: the clairvoyant lower bound on
 * the replica cost of a step. Greedy marginal analysis: start every service at its least stable
 * count, then add the replica that lowers the p99 most until the SLO holds. For a constraint
 * that is a sum of convex per-service terms (the mean latency) this greedy is exact; the p99 mixes
 * two such sums (mean and variance), so it is exact only in practice: the tests check it against
 * brute force. When even max_replicas everywhere misses the SLO, the answer is max_replicas
 * everywhere.
 */
final class ClairvoyantAllocation {

    private final CallGraph graph;
    private final double slo;
    private final int minReplicas;
    private final int maxReplicas;
    private final double[] meanTerm;
    private final double[] varianceTerm;

    ClairvoyantAllocation(CallGraph graph, double slo, int minReplicas, int maxReplicas) {
        this.graph = graph;
        this.slo = slo;
        this.minReplicas = minReplicas;
        this.maxReplicas = maxReplicas;
        this.meanTerm = new double[graph.size()];
        this.varianceTerm = new double[graph.size()];
    }

    /** Fills {@code replicas} with the allocation for {@code userRate}; returns its total. */
    int solve(double userRate, int[] replicas) {
        if (!startStable(userRate, replicas)) {
            Arrays.fill(replicas, maxReplicas);
            return maxReplicas * graph.size();
        }
        double mean = 0;
        double variance = 0;
        for (int s = 0; s < graph.size(); s++) {
            setTerms(s, replicas[s], userRate);
            mean += meanTerm[s];
            variance += varianceTerm[s];
        }
        while (AnalyticModel.logNormalQuantile(mean, variance, AnalyticModel.Z_99) > slo) {
            int best = bestAddition(userRate, replicas, mean, variance);
            if (best < 0) {
                Arrays.fill(replicas, maxReplicas);
                break;
            }
            mean -= meanTerm[best];
            variance -= varianceTerm[best];
            setTerms(best, ++replicas[best], userRate);
            mean += meanTerm[best];
            variance += varianceTerm[best];
        }
        int total = 0;
        for (int count : replicas) {
            total += count;
        }
        return total;
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
    private int bestAddition(double userRate, int[] replicas, double mean, double variance) {
        int best = -1;
        double bestP99 = Double.POSITIVE_INFINITY;
        for (int s = 0; s < graph.size(); s++) {
            if (replicas[s] == maxReplicas) {
                continue;
            }
            double rate = userRate * graph.visits(s);
            double visits = graph.visits(s);
            double newMean = mean - meanTerm[s] + visits * Queueing.meanResponseTime(replicas[s] + 1, rate,
                    graph.demand(s));
            double newVariance = variance - varianceTerm[s] + visits * Queueing.responseTimeVariance(
                    replicas[s] + 1, rate, graph.demand(s));
            double p99 = AnalyticModel.logNormalQuantile(newMean, newVariance, AnalyticModel.Z_99);
            if (p99 < bestP99) {
                bestP99 = p99;
                best = s;
            }
        }
        return best;
    }

    private void setTerms(int service, int replicas, double userRate) {
        double rate = userRate * graph.visits(service);
        meanTerm[service] = graph.visits(service) * Queueing.meanResponseTime(replicas, rate, graph.demand(service));
        varianceTerm[service] = graph.visits(service) * Queueing.responseTimeVariance(replicas, rate,
                graph.demand(service));
    }
}
