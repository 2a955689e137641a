package org.marlopt.envs.leastsquares;

import org.marlopt.env.EnvSpec;

/**
 * EXTRA: W. Shi, Q. Ling, G. Wu, W. Yin, "EXTRA: An exact first-order algorithm for
 * decentralized consensus optimization", SIAM J. Optim. 25(2), 2015.
 *
 * <pre>
 *   x^1     = W x^0 - alpha g(x^0)
 *   x^{k+2} = (I + W) x^{k+1} - Wt x^k - alpha [g(x^{k+1}) - g(x^k)],   Wt = (I + W) / 2
 * </pre>
 *
 * The difference of two DGD steps with different mixing matrices: the correction accumulates the
 * disagreement, so with a constant step every estimate converges to the exact optimum. A message
 * carries x (dim values). After env step s every estimate is the textbook x^s.
 */
public final class Extra extends ConsensusAlgorithm {

    public static final String NAME = "extra";

    /**
     * The default step_size alpha. The paper's bound alpha < 2 lambda_min(Wt) / L is 0.07 to 0.1 on
     * the default problems (ring: lambda_min(Wt) = 1/3; L = max_i 2 lambda_max(A_i^T A_i), about 7
     * to 10); 0.03 matches gradient-tracking and dgd so their figures compare.
     */
    static final double DEFAULT_STEP_SIZE = 0.03;

    /** The message: the estimate x. */
    private static final int VECTORS_PER_MESSAGE = 1;

    public Extra() {
        super(NAME, VECTORS_PER_MESSAGE, DEFAULT_STEP_SIZE);
    }

    @Override
    public String description() {
        return "EXTRA (Shi, Ling, Wu, Yin 2015): x^{k+2} = (I + W) x^{k+1} - (I + W)/2 x^k - alpha [g(x^{k+1}) - "
                + "g(x^k)]; exact convergence with a constant step_size alpha (default "
                + DEFAULT_STEP_SIZE + "). Needs message_size >= dim.";
    }

    @Override
    ConsensusController controller(EnvSpec spec, int agent, double stepSize) {
        return new Controller(spec, agent, stepSize);
    }

    /**
     * Agent i's EXTRA. Iteration k + 2 acts on x_i^{k+1}, g_i^{k+1} and each neighbour's x_j^{k+1};
     * it remembers x_i^k, g_i^k and (W x^k)_i from the iteration before. Iteration 1 takes the
     * first step to x^1.
     */
    static final class Controller extends ConsensusController {

        private final double alpha;
        /** x_i^k, g_i^k, (W x^k)_i. */
        private final double[] previousX;
        private final double[] previousGradient;
        private final double[] previousMixed;

        Controller(EnvSpec spec, int agent, double stepSize) {
            super(spec, agent, VECTORS_PER_MESSAGE);
            this.alpha = stepSize;
            this.previousX = new double[dim];
            this.previousGradient = new double[dim];
            this.previousMixed = new double[dim];
        }

        @Override
        protected void iterate(int iteration) {
            if (iteration == 0) {
                return;
            }
            neighbours.mix(x, 0, mixed);
            if (iteration == 1) {
                // x^1 = W x^0 - alpha g(x^0)
                for (int i = 0; i < dim; i++) {
                    next[i] = mixed[i] - alpha * gradient[i];
                }
            } else {
                // x^{k+2} = x^{k+1} + W x^{k+1} - (x^k + W x^k) / 2 - alpha [g(x^{k+1}) - g(x^k)]
                for (int i = 0; i < dim; i++) {
                    next[i] = x[i] + mixed[i] - 0.5 * (previousX[i] + previousMixed[i])
                            - alpha * (gradient[i] - previousGradient[i]);
                }
            }
            System.arraycopy(x, 0, previousX, 0, dim);
            System.arraycopy(gradient, 0, previousGradient, 0, dim);
            System.arraycopy(mixed, 0, previousMixed, 0, dim);
        }
    }
}
