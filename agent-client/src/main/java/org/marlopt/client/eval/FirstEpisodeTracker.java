package org.marlopt.client.eval;

import java.util.Arrays;
import java.util.List;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;
import org.marlopt.env.InfoSpec;

/**
 * Follows the first episode of every copy of a session from a reset: each agent's return, the
 * length, whether and when the episode reached success, and every info array in the step that
 * ended it (the score among them), plus the state copy 0 ended in. Copies that end are reset by
 * the server (same-step autoreset) and keep stepping; their later episodes are not counted.
 */
public final class FirstEpisodeTracker {

    private final int numEnvs;
    private final int numAgents;
    private final String successKey;
    private final List<InfoSpec> infoKeys;
    private final boolean[] ended;
    private final double[][] returns;
    private final int[] lengths;
    private final int[] stepsToSuccess;
    private final boolean[] succeeded;
    /** Per info key, per copy: the mean of the key's values in the step that ended the episode. */
    private final double[][] infoAtEnd;
    private final float[] copyZeroFinalState;
    private int running;
    private int steps;

    public FirstEpisodeTracker(SessionSpec spec) {
        this.numEnvs = spec.numEnvs();
        this.numAgents = spec.numAgents();
        this.successKey = spec.successKey();
        this.infoKeys = spec.env().info();
        this.ended = new boolean[numEnvs];
        this.returns = new double[numAgents][numEnvs];
        this.lengths = new int[numEnvs];
        this.stepsToSuccess = new int[numEnvs];
        this.succeeded = new boolean[numEnvs];
        this.infoAtEnd = new double[infoKeys.size()][numEnvs];
        this.copyZeroFinalState = new float[spec.stateSize()];
    }

    /** Forgets everything; call right after a reset. */
    public void start() {
        Arrays.fill(ended, false);
        for (double[] agentReturns : returns) {
            Arrays.fill(agentReturns, 0);
        }
        Arrays.fill(lengths, 0);
        Arrays.fill(stepsToSuccess, 0);
        Arrays.fill(succeeded, false);
        running = numEnvs;
        steps = 0;
    }

    /** Records the step the session just took. */
    public void record(EnvSession env) {
        steps++;
        for (int agent = 0; agent < numAgents; agent++) {
            float[] rewards = env.rewards(agent);
            double[] agentReturns = returns[agent];
            for (int copy = 0; copy < numEnvs; copy++) {
                if (!ended[copy]) {
                    agentReturns[copy] += rewards[copy];
                }
            }
        }
        double[] success = successKey == null ? null : env.info(successKey);
        boolean[] terminated = env.terminated();
        boolean[] truncated = env.truncated();
        for (int copy = 0; copy < numEnvs; copy++) {
            if (ended[copy]) {
                continue;
            }
            lengths[copy]++;
            if (success != null && stepsToSuccess[copy] == 0 && success[copy] > 0.5) {
                stepsToSuccess[copy] = lengths[copy];
            }
            if (terminated[copy] || truncated[copy]) {
                ended[copy] = true;
                running--;
                succeeded[copy] = success != null && success[copy] > 0.5;
                recordInfoAtEnd(env, copy);
            }
        }
        if (lengths[0] == steps) {
            System.arraycopy(ended[0] ? env.finalState() : env.state(), 0, copyZeroFinalState, 0,
                    copyZeroFinalState.length);
        }
    }

    private void recordInfoAtEnd(EnvSession env, int copy) {
        for (int key = 0; key < infoKeys.size(); key++) {
            int size = infoKeys.get(key).size();
            double[] values = env.info(infoKeys.get(key).name());
            double sum = 0;
            for (int i = copy * size; i < (copy + 1) * size; i++) {
                sum += values[i];
            }
            infoAtEnd[key][copy] = size == 0 ? Double.NaN : sum / size;
        }
    }

    /** True once every copy's first episode has ended. */
    public boolean finished() {
        return running == 0;
    }

    public boolean ended(int copy) {
        return ended[copy];
    }

    /** The team's return: the mean over agents of each agent's return. */
    public double teamReturn(int copy) {
        double sum = 0;
        for (double[] agentReturns : returns) {
            sum += agentReturns[copy];
        }
        return sum / numAgents;
    }

    public double agentReturn(int agent, int copy) {
        return returns[agent][copy];
    }

    public int length(int copy) {
        return lengths[copy];
    }

    /** Whether the episode ended with its success info at 1 (never, when the environment defines no success). */
    public boolean succeeded(int copy) {
        return succeeded[copy];
    }

    /** The first step whose success info was 1, or 0 when none was (so far). */
    public int stepsToSuccess(int copy) {
        return stepsToSuccess[copy];
    }

    /** Info key {@code key} (spec order) in the step that ended the episode, averaged over its values. */
    public double infoAtEnd(int key, int copy) {
        return infoAtEnd[key][copy];
    }

    /** The state copy 0 held when its first episode ended (or now, if still running). */
    public float[] copyZeroFinalState() {
        return copyZeroFinalState.clone();
    }
}
