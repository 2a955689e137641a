package org.marlopt.client.algo;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.marlopt.client.agent.GaussianPolicy;
import org.marlopt.client.buffer.RolloutBuffer;
import org.marlopt.client.eval.FirstEpisodeTracker;
import org.marlopt.client.session.EnvSession;

/**
 * The acting half of an on-policy round (MAPPO's and COMA's): reset every copy with the round's
 * seed, then the round's batched steps, every agent sampling from its {@link GaussianPolicy},
 * into the {@link RolloutBuffer}, the copies' first episodes into the tracker the round reports.
 */
final class RolloutCollector {

    private final EnvSession env;
    private final GaussianPolicy policy;
    private final RolloutBuffer rollout;
    private final FirstEpisodeTracker tracker;
    private final NDManager manager;
    private final float[][] actions;

    /** @param actions per agent, what the environment receives (see {@code TeamActor#newActionArrays}) */
    RolloutCollector(EnvSession env, GaussianPolicy policy, RolloutBuffer rollout, NDManager manager,
                     float[][] actions) {
        this.env = env;
        this.policy = policy;
        this.rollout = rollout;
        this.tracker = new FirstEpisodeTracker(env.spec());
        this.manager = manager;
        this.actions = actions;
    }

    /** Fills the rollout afresh from copies reset with seeds {@code seed, seed + 1, ...}. */
    void collect(long seed, SplittableRandom random) {
        env.reset(seed);
        tracker.start();
        rollout.clear();
        while (!rollout.full()) {
            rollout.observe(env);
            GaussianPolicy.Sample sample = policy.act(manager, rollout.currentObservations(), random, actions);
            env.step(actions);
            tracker.record(env);
            rollout.add(env, sample.raw(), sample.logProbs(), actions);
        }
    }

    /** The copies' first episodes in the last rollout. */
    FirstEpisodeTracker tracker() {
        return tracker;
    }
}
