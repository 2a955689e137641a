package org.marlopt.client.session;

import java.nio.FloatBuffer;

/**
 * A session of {@code numEnvs} copies of a multi-agent environment, stepped together, with
 * same-step autoreset, shaped by its {@link SessionSpec}. Results are the session's own arrays,
 * reused across calls and valid until the next call; per-copy data is copy-major (copy i's values
 * at {@code [i * size, (i + 1) * size)}), per-agent data is indexed by the agent's position in the
 * spec.
 *
 * <p>After a step, a copy whose episode ended (terminated or truncated) has already been reset:
 * its rewards, flags and info describe the transition that ended the episode, its observations
 * and state belong to the new episode, and {@link #finalState()} and the final observations hold
 * what the ended episode finished in.
 */
public interface EnvSession extends AutoCloseable {

    SessionSpec spec();

    /** Starts new episodes in every copy; copy i is seeded {@code seed + i}. */
    void reset(long seed);

    /**
     * Applies one joint action.
     *
     * @param actions per agent, {@code numEnvs * actionSize(agent)} values, copy-major: the
     *     environment action then the outgoing message
     */
    void step(float[][] actions);

    /** Every copy's shared observation ({@code sharedSize} values per copy). */
    float[] sharedObservation();

    /** Every copy's own observation of the agent ({@code ownSize(agent)} values per copy, inbox last). */
    float[] ownObservation(int agent);

    /** Per copy: the current observations are the first of an episode (after a reset or an autoreset). */
    boolean[] episodeStart();

    /** The agent's reward in every copy from the last step (zeros after a reset). */
    float[] rewards(int agent);

    /** d reward / d action of the agent, shaped like its actions; filled only when the spec says rewardGradient. */
    float[] rewardGradient(int agent);

    boolean[] terminated();

    boolean[] truncated();

    /** The info array {@code key} of every copy ({@code size} values per copy, as the spec declares). */
    double[] info(String key);

    /** Every copy's global state after the last call (after any autoreset). */
    float[] state();

    /** The shared observation each copy's episode ended in; for copies that did not end, the current one. */
    float[] finalSharedObservation();

    /** The agent's own observation each copy's episode ended in; for copies that did not end, the current one. */
    float[] finalOwnObservation(int agent);

    /** The state each copy's episode ended in; for copies that did not end, the current one. */
    float[] finalState();

    /**
     * Puts what the agent observes in the copy, a policy's input, at {@code into}'s position: the
     * shared observation, then the agent's own.
     */
    default void putObservation(int agent, int copy, FloatBuffer into) {
        int shared = spec().sharedSize();
        int own = spec().ownSize(agent);
        into.put(sharedObservation(), copy * shared, shared);
        into.put(ownObservation(agent), copy * own, own);
    }

    @Override
    void close();
}
