package org.marlopt.envs.seed;

import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.vector.CopyOutput;
import org.marlopt.env.vector.EnvCopy;

/**
 * One copy of the seed environment: the parameter vector and its dynamics. Sessions step every
 * copy at once with {@link DistributedOptimizationBatch}; this class is its readable reference,
 * which DistributedOptimizationBatchTest holds it to bit for bit.
 */
final class DistributedOptimizationCopy implements EnvCopy {

    private final DistributedOptimization.Settings settings;
    private final float[] params;
    /** Per parameter, in the last step: the clip to [-1, 1] was inactive, so the reward moves with the action. */
    private final boolean[] unclipped;

    DistributedOptimizationCopy(DistributedOptimization.Settings settings) {
        this.settings = settings;
        this.params = new float[settings.paramDim()];
        this.unclipped = new boolean[settings.paramDim()];
    }

    @Override
    public void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs, CopyOutput out) {
        float[] initial = InitialParams.row(options, copy, settings.paramDim());
        if (initial != null) {
            System.arraycopy(initial, 0, params, 0, params.length);
        } else {
            for (int j = 0; j < params.length; j++) {
                params[j] = (float) (random.nextDouble() * 2.0 - 1.0);
            }
        }
        score(out);
    }

    /** Adds each agent's action to its block, clips to [-1, 1], scores. */
    @Override
    public void step(float[][] actions, CopyOutput out) {
        int blockSize = settings.blockSize();
        for (int agent = 0; agent < actions.length; agent++) {
            float[] action = actions[agent];
            int block = agent * blockSize;
            for (int j = 0; j < blockSize; j++) {
                float moved = params[block + j] + action[j];
                float clipped = Math.max(-1f, Math.min(1f, moved));
                params[block + j] = clipped;
                unclipped[block + j] = clipped == moved;
            }
        }
        double sum = score(out);
        double distance = Math.abs(settings.target() - sum);
        out.sharedReward((float) -distance);
        out.terminated(distance < settings.successThreshold());
        if (out.wantsRewardGradient()) {
            // d(-|target - sum|)/d a_j = -sign(sum - target) where the clip is inactive
            float slope = sum > settings.target() ? -1f : sum < settings.target() ? 1f : 0f;
            for (int agent = 0; agent < actions.length; agent++) {
                int block = agent * blockSize;
                for (int j = 0; j < blockSize; j++) {
                    out.rewardGradient(agent, j, unclipped[block + j] ? slope : 0f);
                }
            }
        }
    }

    @Override
    public void observe(CopyOutput out) {
        out.sharedObservation(params);
        out.state(params);
    }

    /** Writes objective, distance and solved of the current parameters; returns the objective. */
    private double score(CopyOutput out) {
        double sum = 0;
        for (float value : params) {
            sum += value;
        }
        double distance = Math.abs(settings.target() - sum);
        out.info(DistributedOptimization.OBJECTIVE, sum);
        out.info(DistributedOptimization.DISTANCE, distance);
        out.info(DistributedOptimization.SOLVED, distance < settings.successThreshold() ? 1 : 0);
        return sum;
    }
}
