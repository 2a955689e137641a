package org.marlopt.envs.loadbalance;

import java.util.Arrays;

/**
 * How a dispatcher's action becomes its routing weights (multi mode, params.action_encoding).
 *
 * <p>{@code weights}: the action is the weights themselves, each in [0, 1]. {@code log_weights}:
 * each action element a in [-1, 1] is a log-weight, w = exp(range (a - 1)), and a = -1 means
 * weight 0 (the server gets none of the dispatcher's jobs). A learned policy reaches "all jobs to
 * one server" with a few saturated outputs under log-weights, where linear weights need every
 * other output pinned at exactly 0; the classical rules are exact under both.
 */
record WeightEncoding(boolean logarithmic, double range) {

    static final WeightEncoding LINEAR = new WeightEncoding(false, 0);

    /** The least action element, by encoding: a weight of 0. */
    float lowestAction() {
        return logarithmic ? -1f : 0f;
    }

    /** The weight action element {@code action} stands for (weights need not sum to 1). */
    double weight(float action) {
        if (!logarithmic) {
            return action;
        }
        return action <= -1f ? 0 : Math.exp(range * (action - 1));
    }

    /**
     * Rewrites weights in [0, 1] (not all zero), in place in {@code action[0 .. count)}, as the
     * action that routes by the same proportions: under log-weights relative to the largest,
     * which becomes 1, and a weight below exp(-2 range) of the largest becomes 0.
     */
    void encode(float[] action, int count) {
        if (!logarithmic) {
            return;
        }
        float largest = 0f;
        for (int j = 0; j < count; j++) {
            largest = Math.max(largest, action[j]);
        }
        if (largest == 0f) {
            Arrays.fill(action, 0, count, 1f); // all zero: uniform
            return;
        }
        for (int j = 0; j < count; j++) {
            action[j] = action[j] <= 0f ? -1f : (float) Math.max(-1, 1 + Math.log(action[j] / largest) / range);
        }
    }
}
