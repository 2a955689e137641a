package org.marlopt.envs.seed;

import java.util.Map;
import java.util.SplittableRandom;
import org.marlopt.env.vector.BatchOutput;
import org.marlopt.env.vector.EnvBatch;

/**
 * Every copy of the seed environment at once. A step is a few arithmetic operations per
 * parameter, so calls and {@code CopyOutput} writes per copy, as {@link DistributedOptimizationCopy}
 * makes them, would cost more than the step; here each agent's parameters of every copy lie in
 * one array laid out like its actions, and the move and clip are one long loop per agent (about
 * 5 times faster than short loops per copy in a micro-benchmark: the JIT can unroll and vectorize
 * it). It computes exactly what that class, the readable reference, computes
 * (DistributedOptimizationBatchTest compares them bit for bit).
 */
final class DistributedOptimizationBatch implements EnvBatch {

    private final DistributedOptimization.Settings settings;
    private final int blockSize;
    /** Per agent, the parameters it owns in every copy: copy i's block is {@code [i * blockSize, (i + 1) * blockSize)}. */
    private final float[][] blocks;
    /** Per agent, in the current step: each parameter before the clip, so where the clip was active shows. */
    private final float[][] moved;
    /** Per copy, in the current step: the reward gradient where the clip is inactive. */
    private final float[] slopes;

    DistributedOptimizationBatch(DistributedOptimization.Settings settings, int numEnvs) {
        this.settings = settings;
        this.blockSize = settings.blockSize();
        this.blocks = new float[settings.numAgents()][Math.multiplyExact(numEnvs, blockSize)];
        this.moved = new float[settings.numAgents()][numEnvs * blockSize];
        this.slopes = new float[numEnvs];
    }

    @Override
    public void reset(int copy, SplittableRandom random, Map<String, Object> options, BatchOutput out) {
        float[] initial = InitialParams.row(options, copy, settings.paramDim());
        int k = 0; // the parameter's index in the copy, agent by agent (as the draws are ordered)
        for (float[] block : blocks) {
            for (int i = copy * blockSize; i < (copy + 1) * blockSize; i++, k++) {
                block[i] = initial != null ? initial[k] : (float) (random.nextDouble() * 2.0 - 1.0);
            }
        }
        score(copy, out);
        observe(copy, copy + 1, out);
    }

    /** Adds each agent's action to its block, clips to [-1, 1], scores. */
    @Override
    public void step(float[][] actions, int from, int to, BatchOutput out) {
        for (int agent = 0; agent < blocks.length; agent++) {
            float[] block = blocks[agent];
            float[] action = actions[agent];
            float[] before = moved[agent];
            for (int i = from * blockSize; i < to * blockSize; i++) {
                before[i] = block[i] + action[i];
                block[i] = Math.max(-1f, Math.min(1f, before[i]));
            }
        }
        double target = settings.target();
        boolean[] terminated = out.terminated();
        for (int copy = from; copy < to; copy++) {
            double sum = score(copy, out);
            double distance = Math.abs(target - sum);
            for (int agent = 0; agent < blocks.length; agent++) {
                out.reward(agent)[copy] = (float) -distance;
            }
            terminated[copy] = distance < settings.successThreshold();
            // d(-|target - sum|)/d a_j = -sign(sum - target) where the clip is inactive
            slopes[copy] = sum > target ? -1f : sum < target ? 1f : 0f;
        }
        if (out.wantsRewardGradient()) {
            writeGradient(from, to, out);
        }
        observe(from, to, out);
    }

    private void writeGradient(int from, int to, BatchOutput out) {
        for (int agent = 0; agent < blocks.length; agent++) {
            float[] block = blocks[agent];
            float[] before = moved[agent];
            float[] gradient = out.rewardGradient(agent);
            for (int copy = from; copy < to; copy++) {
                // An int select, which compiles to a conditional move; a float one to a branch that
                // mispredicts wherever the clip is active at random.
                int slope = Float.floatToRawIntBits(slopes[copy]);
                for (int i = copy * blockSize; i < (copy + 1) * blockSize; i++) {
                    gradient[i] = Float.intBitsToFloat(block[i] == before[i] ? slope : 0);
                }
            }
        }
    }

    /** Writes objective, distance and solved of the copy's parameters; returns the objective. */
    private double score(int copy, BatchOutput out) {
        double sum = 0;
        for (float[] block : blocks) {
            for (int i = copy * blockSize; i < (copy + 1) * blockSize; i++) {
                sum += block[i];
            }
        }
        double distance = Math.abs(settings.target() - sum);
        out.info(DistributedOptimization.OBJECTIVE)[copy] = sum;
        out.info(DistributedOptimization.DISTANCE)[copy] = distance;
        out.info(DistributedOptimization.SOLVED)[copy] = distance < settings.successThreshold() ? 1 : 0;
        return sum;
    }

    /** The parameters of copies {@code from .. to - 1} are their shared observation and state. */
    private void observe(int from, int to, BatchOutput out) {
        int dim = settings.paramDim();
        float[] shared = out.sharedObservation();
        for (int agent = 0; agent < blocks.length; agent++) {
            float[] block = blocks[agent];
            for (int copy = from; copy < to; copy++) {
                int row = copy * dim + agent * blockSize;
                for (int j = 0; j < blockSize; j++) {
                    shared[row + j] = block[copy * blockSize + j];
                }
            }
        }
        System.arraycopy(shared, from * dim, out.state(), from * dim, (to - from) * dim);
    }
}
