package org.marlopt.env;

/**
 * The result of a {@link VectorEnv} reset or step, for all copies at once, in flat copy-major
 * arrays: copy i's values occupy {@code [i * size, (i + 1) * size)}.
 *
 * <p>The arrays are the environment's own buffers, reused by every call so that stepping does
 * not allocate: read them before the next reset or step and never modify them. Copy them to keep
 * them.
 */
public final class Transition {

    final float[] state;
    final float[][] observations;
    final float[][] rewards;
    final float[][] rewardGradients;
    final boolean[] terminated;
    final boolean[] truncated;
    final boolean[] autoreset;
    final float[] finalState;
    boolean hasFinalState;
    final int[] episodeSteps;
    final double[][] info;

    Transition(float[] state, float[][] observations, float[][] rewards, float[][] rewardGradients,
            boolean[] autoreset, float[] finalState, int numEnvs, int numInfoKeys) {
        this.state = state;
        this.observations = observations;
        this.rewards = rewards;
        this.rewardGradients = rewardGradients;
        this.terminated = new boolean[numEnvs];
        this.truncated = new boolean[numEnvs];
        this.autoreset = autoreset;
        this.finalState = finalState;
        this.episodeSteps = new int[numEnvs];
        this.info = new double[numInfoKeys][numEnvs];
    }

    public int numEnvs() {
        return terminated.length;
    }

    /** Global state of every copy after the call (after any autoreset). */
    public float[] state() {
        return state;
    }

    /** What the agent at {@code agentIndex} (spec order) observes, every copy. */
    public float[] observation(int agentIndex) {
        return observations[agentIndex];
    }

    /** The agent's reward in every copy (zeros after a reset). */
    public float[] reward(int agentIndex) {
        return rewards[agentIndex];
    }

    /**
     * d reward / d action for the agent, shaped like its actions, or {@code null} when the
     * options did not ask for the reward gradient.
     */
    public float[] rewardGradient(int agentIndex) {
        return rewardGradients == null ? null : rewardGradients[agentIndex];
    }

    /** Per copy: the episode reached a terminal state in this step. */
    public boolean[] terminated() {
        return terminated;
    }

    /** Per copy: the episode hit the step limit in this step. */
    public boolean[] truncated() {
        return truncated;
    }

    /** NEXT_STEP autoreset only (else {@code null}): per copy, this step was a reset. */
    public boolean[] autoreset() {
        return autoreset;
    }

    /**
     * SAME_STEP autoreset only, and only when some copy's episode ended in this step (else
     * {@code null}): the state each ended copy's episode ended in; other rows repeat the current
     * state.
     */
    public float[] finalState() {
        return hasFinalState ? finalState : null;
    }

    /** Per copy: steps taken in the current episode (0 right after a reset). */
    public int[] episodeSteps() {
        return episodeSteps;
    }

    /** Per copy values of the diagnostic at {@code keyIndex} in {@link VectorEnvSpec#infoKeys()}. */
    public double[] info(int keyIndex) {
        return info[keyIndex];
    }
}
