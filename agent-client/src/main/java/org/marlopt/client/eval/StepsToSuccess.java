package org.marlopt.client.eval;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How fast episodes first reached success: the step at which the environment's success info
 * first read 1 (for the distributed-optimization family, the first step with an optimality gap
 * below success_gap, 1e-3 by default), whether or not the episode still succeeded at its end.
 *
 * @param reachedRate fraction of episodes that reached success at some step
 * @param mean mean first step over the episodes that reached it (null when none did)
 * @param median median of the same (null when none did)
 * @param max the slowest of them (null when none did)
 */
public record StepsToSuccess(double reachedRate, Double mean, Double median, Integer max) {

    /** @param steps the first success step of every episode that reached success */
    static StepsToSuccess of(int[] steps, int episodes) {
        if (steps.length == 0) {
            return new StepsToSuccess(0, null, null, null);
        }
        int[] sorted = steps.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
        return new StepsToSuccess((double) steps.length / episodes, Arrays.stream(steps).average().orElseThrow(),
                median, sorted[sorted.length - 1]);
    }

    Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("reached_rate", reachedRate);
        json.put("mean", mean);
        json.put("median", median);
        json.put("max", max);
        return json;
    }
}
