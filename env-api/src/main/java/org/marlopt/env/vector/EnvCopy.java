package org.marlopt.env.vector;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * One copy of an environment: only its own dynamics. The {@link BatchedVectorEnv} around it does
 * seeding, validation and clipping of actions, step counting and truncation, autoreset, final
 * observations and the message channel. A copy writes its results through a {@link CopyOutput}
 * pointed at its rows of the batch's buffers; it must not allocate in {@link #step} or
 * {@link #observe}.
 */
public interface EnvCopy {

    /**
     * Starts an episode. Draw every random quantity from {@code random} (seeded {@code seed + i}
     * for copy i), so episodes are reproducible. May write the initial state's info values.
     *
     * @param options reset options, already checked by {@link org.marlopt.env.ConfiguredEnv#checkResetOptions}
     * @param copy this copy's index in the batch, and {@code numEnvs} the batch size, for options
     *     that give one row per copy
     */
    void reset(SplittableRandom random, Map<String, Object> options, int copy, int numEnvs, CopyOutput out);

    /**
     * One transition. Writes every agent's reward, the info values, whether the episode
     * terminated, and (when {@link CopyOutput#wantsRewardGradient()}) the reward gradient.
     *
     * @param actions per agent, its environment action for this copy (without the message),
     *     finite and clipped into the action space; read during the call only
     */
    void step(float[][] actions, CopyOutput out);

    /** Writes the shared observation, each agent's own observation (without the inbox) and the state. */
    void observe(CopyOutput out);
}
