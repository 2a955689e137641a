package org.marlopt.env.vector;

/**
 * Where one copy writes its results: the batch's buffers, with the cursor {@link #copy} chosen by
 * the {@link BatchOutput} it views. Indexes are within the copy's row of each array.
 */
public final class CopyOutput {

    private final Transition batch;
    private final int sharedSize;
    private final int[] observationSizes;
    private final int stateSize;
    private final int[] actionSizes;
    private final int[] infoSizes;
    private int copy;

    CopyOutput(Transition batch, int sharedSize, int[] observationSizes, int stateSize, int[] actionSizes,
               int[] infoSizes) {
        this.batch = batch;
        this.sharedSize = sharedSize;
        this.observationSizes = observationSizes;
        this.stateSize = stateSize;
        this.actionSizes = actionSizes;
        this.infoSizes = infoSizes;
    }

    void pointAt(int copyIndex) {
        this.copy = copyIndex;
    }

    public void sharedObservation(int index, float value) {
        batch.sharedObservation[copy * sharedSize + index] = value;
    }

    /** The whole shared observation of the copy, from {@code values[0 .. shared size)}. */
    public void sharedObservation(float[] values) {
        System.arraycopy(values, 0, batch.sharedObservation, copy * sharedSize, sharedSize);
    }

    /** Element {@code index} of the agent's own observation (before its inbox). */
    public void observation(int agent, int index, float value) {
        batch.observations[agent][copy * observationSizes[agent] + index] = value;
    }

    public void state(int index, float value) {
        batch.state[copy * stateSize + index] = value;
    }

    /** The whole state of the copy, from {@code values[0 .. state size)}. */
    public void state(float[] values) {
        System.arraycopy(values, 0, batch.state, copy * stateSize, stateSize);
    }

    public void reward(int agent, float value) {
        batch.rewards[agent][copy] = value;
    }

    /** The same reward for every agent. */
    public void sharedReward(float value) {
        for (float[] rewards : batch.rewards) {
            rewards[copy] = value;
        }
    }

    public boolean wantsRewardGradient() {
        return batch.rewardGradients != null;
    }

    /** d reward(agent) / d action element {@code index}; ignored unless {@link #wantsRewardGradient()}. */
    public void rewardGradient(int agent, int index, float value) {
        if (batch.rewardGradients != null) {
            batch.rewardGradients[agent][copy * actionSizes[agent] + index] = value;
        }
    }

    public void terminated(boolean value) {
        batch.terminated[copy] = value;
    }

    /** Scalar info {@code key} (index in the spec's info list). */
    public void info(int key, double value) {
        batch.info[key][copy] = value;
    }

    /** Element {@code index} of info array {@code key}. */
    public void info(int key, int index, double value) {
        batch.info[key][copy * infoSizes[key] + index] = value;
    }
}
