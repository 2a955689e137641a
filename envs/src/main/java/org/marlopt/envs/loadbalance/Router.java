package org.marlopt.envs.loadbalance;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One dispatcher's per-job server choice under the routing weights of the current epoch: a draw
 * with probabilities proportional to the weights, or nginx's smooth weighted round robin (every
 * pick adds each weight to its server's counter, takes the largest counter, lowest index on ties,
 * and takes the weights' total off it), which spreads any weights evenly and deterministically and
 * with equal weights is exact round robin. The counters persist across epochs and clear at reset.
 */
final class Router {

    private final boolean roundRobin;
    private final WeightEncoding encoding;
    private final double[] weights;
    private final double[] counters;
    private double totalWeight;

    Router(int numServers, boolean roundRobin, WeightEncoding encoding) {
        this.roundRobin = roundRobin;
        this.encoding = encoding;
        this.weights = new double[numServers];
        this.counters = new double[numServers];
    }

    void clear() {
        Arrays.fill(counters, 0);
    }

    /** Takes the first N values of {@code action} as weights by the encoding; all zero means uniform. */
    void setWeights(float[] action) {
        totalWeight = 0;
        for (int j = 0; j < weights.length; j++) {
            weights[j] = encoding.weight(action[j]);
            totalWeight += weights[j];
        }
        if (totalWeight == 0) {
            Arrays.fill(weights, 1);
            totalWeight = weights.length;
        }
    }

    int choose(SplittableRandom random) {
        return roundRobin ? nextInRoundRobin() : draw(random.nextDouble() * totalWeight);
    }

    private int draw(double point) {
        double cumulative = 0;
        int lastPositive = 0;
        for (int j = 0; j < weights.length; j++) {
            if (weights[j] > 0) {
                cumulative += weights[j];
                lastPositive = j;
                if (point < cumulative) {
                    return j;
                }
            }
        }
        return lastPositive; // rounding left point at the total
    }

    private int nextInRoundRobin() {
        int chosen = 0;
        for (int j = 0; j < weights.length; j++) {
            counters[j] += weights[j];
            if (counters[j] > counters[chosen]) {
                chosen = j;
            }
        }
        counters[chosen] -= totalWeight;
        return chosen;
    }
}
