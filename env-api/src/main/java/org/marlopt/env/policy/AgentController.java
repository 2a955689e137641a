package org.marlopt.env.policy;

/**
 * One agent's decision rule in one copy, seeing only what that agent sees: the shared
 * observation followed by its own (its local data and its inbox). It may keep state across the
 * steps of an episode (an iterate, a gradient tracker); {@code episodeStart} says when to clear it.
 */
public interface AgentController {

    /**
     * @param observation the shared observation then the agent's own, in a reused array
     * @param action filled in: the environment action then the outgoing message, in a reused array
     */
    void act(float[] observation, boolean episodeStart, float[] action);
}
