package org.marlopt.client.env;

import java.util.Arrays;

/**
 * Follows the first episode of every copy of a vector env from a reset: return, length, whether
 * and when it was solved, its distance to the target after the first step and the state copy 0
 * ended in. Copies that end are reset by the server (same-step autoreset) and keep stepping;
 * their later episodes are not counted.
 */
public final class FirstEpisodeTracker {

    private final int numEnvs;
    private final int stateSize;
    private final boolean[] ended;
    private final boolean[] solved;
    private final double[] returns;
    private final int[] lengths;
    private final double[] firstStepDistances;
    private final float[] copyZeroFinalState;
    private int running;
    private int steps;

    public FirstEpisodeTracker(EnvDims dims) {
        this.numEnvs = dims.numEnvs();
        this.stateSize = dims.stateSize();
        this.ended = new boolean[numEnvs];
        this.solved = new boolean[numEnvs];
        this.returns = new double[numEnvs];
        this.lengths = new int[numEnvs];
        this.firstStepDistances = new double[numEnvs];
        this.copyZeroFinalState = new float[stateSize];
    }

    /** Forgets everything; call right after a reset. */
    public void start() {
        Arrays.fill(ended, false);
        Arrays.fill(solved, false);
        Arrays.fill(returns, 0);
        Arrays.fill(lengths, 0);
        running = numEnvs;
        steps = 0;
    }

    /** Records the step the env just took. */
    public void record(VectorSession env) {
        steps++;
        float[] rewards = env.rewards();
        boolean[] terminated = env.terminated();
        boolean[] truncated = env.truncated();
        double[] distances = env.distances();
        for (int copy = 0; copy < numEnvs; copy++) {
            if (ended[copy]) {
                continue;
            }
            returns[copy] += rewards[copy];
            lengths[copy]++;
            if (steps == 1) {
                firstStepDistances[copy] = distances[copy];
            }
            if (terminated[copy] || truncated[copy]) {
                ended[copy] = true;
                solved[copy] = terminated[copy];
                running--;
            }
        }
        if (lengths[0] == steps) {
            System.arraycopy(ended[0] ? env.endStates() : env.states(), 0, copyZeroFinalState, 0, stateSize);
        }
    }

    /** True once every copy's first episode has ended. */
    public boolean finished() {
        return running == 0;
    }

    public boolean solved(int copy) {
        return solved[copy];
    }

    public double episodeReturn(int copy) {
        return returns[copy];
    }

    public int length(int copy) {
        return lengths[copy];
    }

    public double firstStepDistance(int copy) {
        return firstStepDistances[copy];
    }

    /** Parameters copy 0 held when its first episode ended (or now, if still running). */
    public float[] copyZeroFinalState() {
        return copyZeroFinalState.clone();
    }

    public double meanReturn() {
        return Arrays.stream(returns).average().orElse(0);
    }

    public double meanLength() {
        return Arrays.stream(lengths).average().orElse(0);
    }

    public double solvedFraction() {
        int count = 0;
        for (boolean s : solved) {
            count += s ? 1 : 0;
        }
        return (double) count / numEnvs;
    }
}
