package org.marlopt.env.policy;

/**
 * Chooses every agent's action in every copy of a batch, on plain arrays laid out as a
 * {@link org.marlopt.env.vector.Transition}'s: the same interface serves a policy run in-process
 * against a vector env and one run by a client over gRPC.
 */
public interface TeamPolicy {

    /** The name in tables, JSON and metrics. */
    String name();

    /**
     * @param sharedObservation every copy's shared observation, copy-major
     * @param observations per agent, every copy's own observation (inbox included), copy-major
     * @param episodeStart per copy: the observation is the first of an episode (after a reset or an autoreset)
     * @param actions filled in: per agent, {@code numEnvs * actionSize} values, copy-major
     *     (the environment action, then the message)
     */
    void act(float[] sharedObservation, float[][] observations, boolean[] episodeStart, float[][] actions);
}
