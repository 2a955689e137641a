package org.marlopt.env.vector;

/**
 * Where an {@link EnvBatch} writes its results: the batch's buffers themselves, flat and
 * copy-major, so copy i's row of an array whose rows hold s values is {@code [i * s, (i + 1) * s)}.
 * Write only the rows of the copies being reset or stepped.
 */
public final class BatchOutput {

    private final Transition batch;
    private final CopyOutput row;

    BatchOutput(Transition batch, CopyOutput row) {
        this.batch = batch;
        this.row = row;
    }

    /** Rows of the shared observation's size. */
    public float[] sharedObservation() {
        return batch.sharedObservation;
    }

    /**
     * Rows of the agent's observation size: its own observation first, then its inbox, which the
     * message channel writes.
     */
    public float[] observation(int agent) {
        return batch.observations[agent];
    }

    /** Rows of the state's size. */
    public float[] state() {
        return batch.state;
    }

    /** One value per copy. */
    public float[] reward(int agent) {
        return batch.rewards[agent];
    }

    public boolean wantsRewardGradient() {
        return batch.rewardGradients != null;
    }

    /**
     * Rows of the agent's action size, message part included (it stays 0); {@code null} unless
     * {@link #wantsRewardGradient()}.
     */
    public float[] rewardGradient(int agent) {
        return batch.rewardGradients == null ? null : batch.rewardGradients[agent];
    }

    /** One flag per copy. */
    public boolean[] terminated() {
        return batch.terminated;
    }

    /** Info entry {@code key} (index in the spec's info list): rows of its size. */
    public double[] info(int key) {
        return batch.info[key];
    }

    /** The same buffers seen from one copy, for an {@link EnvCopy}. */
    CopyOutput row(int copy) {
        row.pointAt(copy);
        return row;
    }
}
