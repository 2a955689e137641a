package org.marlopt.env.vector;

/**
 * The result of a {@link VectorEnv} reset or step, for all copies at once, in flat copy-major
 * arrays: copy i's values occupy {@code [i * size, (i + 1) * size)}.
 *
 * <p>The arrays are the environment's own buffers, reused by every call so that stepping does
 * not allocate: read them before the next reset or step and never modify them. Copy them to keep
 * them.
 */
public final class Transition {

    final float[] sharedObservation;
    final float[][] observations;
    final float[] state;
    final float[][] rewards;
    final float[][] rewardGradients;
    final boolean[] terminated;
    final boolean[] truncated;
    final boolean[] autoreset;
    final int[] episodeSteps;
    final double[][] info;
    final float[] finalSharedObservation;
    final float[][] finalObservations;
    final float[] finalState;
    boolean hasFinal;

    Transition(float[] sharedObservation, float[][] observations, float[] state, float[][] rewards,
               float[][] rewardGradients, boolean[] autoreset, double[][] info, float[] finalSharedObservation,
               float[][] finalObservations, float[] finalState, int numEnvs) {
        this.sharedObservation = sharedObservation;
        this.observations = observations;
        this.state = state;
        this.rewards = rewards;
        this.rewardGradients = rewardGradients;
        this.terminated = new boolean[numEnvs];
        this.truncated = new boolean[numEnvs];
        this.autoreset = autoreset;
        this.episodeSteps = new int[numEnvs];
        this.info = info;
        this.finalSharedObservation = finalSharedObservation;
        this.finalObservations = finalObservations;
        this.finalState = finalState;
    }

    public int numEnvs() {
        return terminated.length;
    }

    /** The observation every agent shares, every copy (empty when the environment has none). */
    public float[] sharedObservation() {
        return sharedObservation;
    }

    /** What the agent at {@code agentIndex} (spec order) observes on its own, inbox included, every copy. */
    public float[] observation(int agentIndex) {
        return observations[agentIndex];
    }

    /** Global state of every copy after the call (after any autoreset). */
    public float[] state() {
        return state;
    }

    /** The agent's reward in every copy (zeros after a reset). */
    public float[] reward(int agentIndex) {
        return rewards[agentIndex];
    }

    /**
     * d reward / d action for the agent, shaped like its actions (0 for the message part), or
     * {@code null} when the options did not ask for the reward gradient.
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

    /** Per copy: steps taken in the current episode (0 right after a reset). */
    public int[] episodeSteps() {
        return episodeSteps;
    }

    /** Info array {@code keyIndex} of the spec's info list, every copy. */
    public double[] info(int keyIndex) {
        return info[keyIndex];
    }

    /**
     * SAME_STEP autoreset only, and only when some copy's episode ended in this step (else
     * {@code null}): the shared observation each ended copy's episode ended in; other rows repeat
     * the current one. Likewise {@link #finalObservation} and {@link #finalState}.
     */
    public float[] finalSharedObservation() {
        return hasFinal ? finalSharedObservation : null;
    }

    public float[] finalObservation(int agentIndex) {
        return hasFinal ? finalObservations[agentIndex] : null;
    }

    public float[] finalState() {
        return hasFinal ? finalState : null;
    }
}
