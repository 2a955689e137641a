package org.marlopt.client.algo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** GAE, the clipped surrogate and COMA's counterfactual advantage on cases small enough to compute by hand. */
class PolicyGradientTest {

    /**
     * Two steps of three copies, one agent, gamma = lambda = 0.5: copy 0 runs on, copy 1 is
     * truncated after step 0 (bootstraps from its final state's value 8, nothing flows back from
     * step 1), copy 2 terminates after step 0 (no bootstrap at all).
     */
    @Test
    void gaeBootstrapsOnTruncationNotOnTerminationAndNeverAcrossAnEpisodesEnd() {
        float[] rewards = {1, 1, 1, 2, 2, 2};
        float[] values = {10, 10, 10, 20, 20, 20};
        float[] nextValues = {20, 8, 99, 30, 30, 30};
        float[] terminated = {0, 0, 1, 0, 0, 0};
        float[] ended = {0, 1, 1, 0, 0, 0};
        float[] advantages = PolicyGradient.advantages(rewards, values, nextValues, terminated, ended, 2, 3, 0.5, 0.5);
        // step 1: 2 + 0.5 * 30 - 20 = -3 everywhere (the last step bootstraps from its next state)
        // step 0: copy 0: (1 + 0.5 * 20 - 10) + 0.25 * -3 = 0.25; copy 1: 1 + 0.5 * 8 - 10 = -5; copy 2: 1 - 10 = -9
        assertArrayEquals(new float[] {0.25f, -5f, -9f, -3f, -3f, -3f}, advantages, 1e-6f);
    }

    @Test
    void gaeKeepsAgentsApartAndWithLambdaOneGivesMonteCarloReturns() {
        // two agents, three steps of one copy, no end: A + V = discounted return + gamma^3 V(s_3)
        float[] rewards = {1, -1, 2, -2, 4, -4};
        float[] values = {3, 3, 3, 3, 3, 3};
        float[] nextValues = {3, 3, 3, 3, 8, -8};
        float[] none = {0, 0, 0};
        float[] advantages = PolicyGradient.advantages(rewards, values, nextValues, none, none, 3, 1, 0.5, 1.0);
        // agent 0 from step 0: 1 + 0.5 * 2 + 0.25 * 4 + 0.125 * 8 = 4, minus V = 3 -> 1
        // agent 1 from step 0: -1 - 1 - 1 - 1 = -4, minus 3 -> -7
        assertArrayEquals(new float[] {1f, -7f, 6f - 3f, -6f - 3f, 8f - 3f, -8f - 3f}, advantages, 1e-6f);
    }

    @Test
    void theClippedSurrogateTakesThePessimisticTermPerRowAndAveragesPerAgent() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // agent 0: ratios 1.5 (A = 1: clipped to 1.2) and 0.5 (A = -1: clipped 0.8 * -1 is the smaller)
            // agent 1: ratio 1, A = 2 and 4: the plain mean 3
            NDArray logProbs = manager.create(new float[] {(float) Math.log(1.5), (float) Math.log(0.5), 0f, 0f},
                    new Shape(2, 2));
            NDArray old = manager.zeros(new Shape(2, 2));
            NDArray advantages = manager.create(new float[] {1f, -1f, 2f, 4f}, new Shape(2, 2));
            NDArray loss = PolicyGradient.clippedSurrogateLoss(logProbs, old, advantages, 0.2f);
            assertArrayEquals(new float[] {-(1.2f - 0.8f) / 2, -3f}, loss.toFloatArray(), 1e-6f);
        }
    }

    @Test
    void advantagesAreStandardisedPerAgent() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray standardized = PolicyGradient.standardize(
                    manager.create(new float[] {1f, 3f, 10f, 30f}, new Shape(2, 2)));
            assertArrayEquals(new float[] {-1f, 1f, -1f, 1f}, standardized.toFloatArray(), 1e-5f);
        }
    }

    /** Two agents, K = 2 samples, one row: each agent's baseline is the mean of its own output over its own substitutions. */
    @Test
    void theCounterfactualBaselineAveragesEachAgentsOwnQOverItsSampledActions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray taken = manager.create(new float[] {5f, 7f}, new Shape(1, 2));
            // [agent i, sample k, row, output]; the 100s are other agents' outputs, which must not count
            NDArray counterfactual = manager.create(new float[] {1f, 100f, 3f, 100f, 100f, 4f, 100f, 8f},
                    new Shape(2, 2, 1, 2));
            NDArray advantages = Coma.counterfactualAdvantages(manager, taken, counterfactual);
            // agent 0: 5 - (1 + 3) / 2 = 3; agent 1: 7 - (4 + 8) / 2 = 1
            assertArrayEquals(new float[] {3f, 1f}, advantages.toFloatArray(), 1e-6f);
        }
    }
}
