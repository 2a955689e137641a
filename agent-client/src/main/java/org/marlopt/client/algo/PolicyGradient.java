package org.marlopt.client.algo;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.marlopt.client.agent.GaussianPolicy;
import org.marlopt.client.nn.Scalars;

/**
 * The policy-gradient pieces MAPPO and COMA share: generalised advantage estimation over a rollout,
 * PPO's clipped surrogate objective and its entropy bonus.
 */
public final class PolicyGradient {

    private PolicyGradient() {}

    /**
     * Generalised advantage estimation (Schulman et al. 2016) over a rollout of {@code steps} rows
     * of {@code copies} copies (row {@code t * copies + copy}), per agent:
     * delta_t = r_t + gamma (1 - terminated_t) V(s'_t) - V(s_t) and
     * A_t = delta_t + gamma lambda (1 - ended_t) A_{t+1}, with A = delta at the last step.
     * V(s'_t) is the value of the state the step led to (where an episode ended, the state it
     * ended in): a truncated step still bootstraps from it, and no advantage flows across the end
     * of an episode. With {@code lambda = 1} A + V is the Monte Carlo return, with 0 the one-step
     * TD target.
     *
     * @param rewards [rows, agents]
     * @param values V(s_t), [rows, agents]
     * @param nextValues V(s'_t), [rows, agents]
     * @param terminated [rows], 1 where the episode terminated in the step
     * @param ended [rows], 1 where it terminated or was truncated
     * @return the advantages, [rows, agents]
     */
    public static float[] advantages(float[] rewards, float[] values, float[] nextValues, float[] terminated,
                                     float[] ended, int steps, int copies, double gamma, double lambda) {
        int agents = rewards.length / (steps * copies);
        float[] advantages = new float[rewards.length];
        for (int t = steps - 1; t >= 0; t--) {
            for (int copy = 0; copy < copies; copy++) {
                int row = t * copies + copy;
                boolean last = t == steps - 1;
                for (int agent = 0; agent < agents; agent++) {
                    int i = row * agents + agent;
                    double delta = rewards[i] + gamma * (1 - terminated[row]) * nextValues[i] - values[i];
                    double later = last ? 0 : advantages[i + copies * agents];
                    advantages[i] = (float) (delta + gamma * lambda * (1 - ended[row]) * later);
                }
            }
        }
        return advantages;
    }

    /**
     * PPO's clipped surrogate loss per agent, [agents]:
     * -mean_rows min(ratio A, clip(ratio, 1 - clip, 1 + clip) A), ratio = exp(logProb - oldLogProb).
     * At ratio 1 (the first step on fresh data) its gradient is the plain policy gradient
     * -mean(A grad log pi).
     *
     * @param logProbs [agents, rows], in the graph of the policy
     * @param oldLogProbs [agents, rows], when the actions were sampled
     * @param advantages [agents, rows]
     */
    public static NDArray clippedSurrogateLoss(NDArray logProbs, NDArray oldLogProbs, NDArray advantages, float clip) {
        NDArray ratio = logProbs.sub(oldLogProbs).exp();
        NDArray unclipped = ratio.mul(advantages);
        NDArray clipped = ratio.clip(1f - clip, 1f + clip).mul(advantages);
        return unclipped.minimum(clipped).mean(new int[] {1}).neg();
    }

    /**
     * {@code loss} [agents] minus {@code coefficient} times each agent's entropy; {@code loss}
     * itself when the coefficient is 0, so the graph and its backward pass carry no term that is 0.
     */
    public static NDArray entropyBonus(NDManager step, GaussianPolicy policy, double coefficient, NDArray loss) {
        if (coefficient == 0) {
            return loss;
        }
        return loss.sub(policy.entropy(step).mul(Scalars.of(step, (float) coefficient)));
    }

    /** Advantages standardised per agent over the rows, [agents, rows] (PPO's advantage normalisation). */
    public static NDArray standardize(NDArray advantages) {
        NDArray mean = advantages.mean(new int[] {1}, true);
        NDArray centred = advantages.sub(mean);
        NDArray std = centred.square().mean(new int[] {1}, true).sqrt();
        return centred.div(std.add(1e-8f));
    }
}
