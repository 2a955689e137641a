package org.marlopt.client.policy;

import org.marlopt.client.session.EnvSession;

/**
 * Chooses every agent's action in every copy of one session from its current observations.
 * A policy is made for one session (its sizes and number of copies) and may keep per-copy state
 * across steps, cleared where {@link EnvSession#episodeStart()} says an episode began.
 */
public interface Policy {

    /** Name in tables, JSON and metrics: learned, zero, oracle, or a classical algorithm's name. */
    String name();

    /**
     * @param actions filled in: per agent, {@code numEnvs * actionSize(agent)} values, copy-major
     *     (the environment action, then the outgoing message)
     */
    void act(EnvSession session, float[][] actions);
}
