package org.marlopt.env.vector;

import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.marlopt.env.AgentSpec;
import org.marlopt.env.EnvSpec;

/** The {@link EnvBatch} of an environment written per copy: one {@link EnvCopy} per copy, each called in turn. */
final class CopyLoop implements EnvBatch {

    private final EnvCopy[] copies;
    private final int[] envActionSizes;
    /** One copy's environment actions, per agent: what {@link EnvCopy#step} reads. */
    private final float[][] copyActions;

    CopyLoop(EnvSpec spec, int numEnvs, Supplier<EnvCopy> factory) {
        this.copies = new EnvCopy[numEnvs];
        for (int copy = 0; copy < numEnvs; copy++) {
            copies[copy] = factory.get();
        }
        this.envActionSizes = spec.agents().stream().mapToInt(AgentSpec::envActionSize).toArray();
        this.copyActions = new float[envActionSizes.length][];
        for (int agent = 0; agent < envActionSizes.length; agent++) {
            copyActions[agent] = new float[envActionSizes[agent]];
        }
    }

    @Override
    public void reset(int copy, SplittableRandom random, Map<String, Object> options, BatchOutput out) {
        CopyOutput row = out.row(copy);
        copies[copy].reset(random, options, copy, copies.length, row);
        copies[copy].observe(row);
    }

    @Override
    public void step(float[][] actions, int from, int to, BatchOutput out) {
        for (int copy = from; copy < to; copy++) {
            for (int agent = 0; agent < copyActions.length; agent++) {
                int size = envActionSizes[agent];
                System.arraycopy(actions[agent], copy * size, copyActions[agent], 0, size);
            }
            CopyOutput row = out.row(copy);
            copies[copy].step(copyActions, row);
            copies[copy].observe(row);
        }
    }
}
