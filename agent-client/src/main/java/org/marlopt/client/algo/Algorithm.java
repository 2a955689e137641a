package org.marlopt.client.algo;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.marlopt.client.agent.AgentTeam;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.train.EpisodeRecord;
import org.marlopt.client.train.TrainConfig;

/**
 * A training algorithm, as the training loop ({@code TrainJob}) sees it: it trains one round at
 * a time on the session it was made with, reports what the round did, and exposes the agents it
 * trains (evaluated and checkpointed as each agent's {@link Model}) and the rest of its trainable
 * state (optimizer moments, later critics), so that a checkpoint continues it exactly.
 *
 * <p>An implementation is one file in this package, registered by name in {@link Algorithms}.
 * It owns what it creates from its {@link Setup} and releases it in {@link #close}.
 */
public interface Algorithm extends AutoCloseable {

    /**
     * What an algorithm is made from.
     *
     * @param config the run's settings ({@code config.algorithm()} names this algorithm)
     * @param env the training session (made with reward gradients when the algorithm's entry asks for them)
     * @param manager where the algorithm's long-lived arrays go; per-step arrays go to sub-managers of it
     * @param models every agent's actor network, freshly initialised or loaded from a checkpoint
     * @param resumed the state a checkpoint saved from {@link #state()}, or null for a fresh run
     * @param envSteps environment steps already taken (non-zero when resuming)
     */
    record Setup(TrainConfig config, EnvSession env, NDManager manager, List<Model> models, State resumed,
                 long envSteps) {
    }

    /**
     * The trainable state of an algorithm besides its agents' networks, as a checkpoint stores it.
     *
     * @param arrays the algorithm's arrays in a fixed order (for reward-gradient: Adam's first, then second moments)
     * @param step the algorithm's update counter (for reward-gradient: Adam's step)
     */
    record State(NDList arrays, long step) {
    }

    /** The registry name of this algorithm, as checkpoints and config.json record it. */
    String name();

    /**
     * Trains round {@code round} (see {@link TrainConfig} for what a round is) and reports it;
     * {@code wallSeconds} is left to the caller (see {@link EpisodeRecord#withWallSeconds}).
     */
    EpisodeRecord trainRound(int round);

    /** The agents being trained, stacked: the policy to evaluate; each agent's slice is its model. */
    AgentTeam agents();

    /** The trainable state besides the agents' networks, for a checkpoint. */
    State state();

    /** Releases what the algorithm created (not the session, manager or models it was given). */
    @Override
    void close();
}
