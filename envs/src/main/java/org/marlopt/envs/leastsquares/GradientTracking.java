package org.marlopt.envs.leastsquares;

import org.marlopt.env.EnvSpec;

/**
 * Gradient tracking (DIGing): A. Nedic, A. Olshevsky, W. Shi, "Achieving geometric convergence
 * for distributed optimization over time-varying graphs", SIAM J. Optim. 27(4), 2017; G. Qu,
 * N. Li, "Harnessing smoothness to accelerate distributed optimization", IEEE TCNS 5(3), 2018.
 *
 * <pre>
 *   x^{k+1} = W x^k - alpha y^k
 *   y^{k+1} = W y^k + g(x^{k+1}) - g(x^k),   y^0 = g(x^0)
 * </pre>
 *
 * Each agent's tracker y_i follows the average gradient, so with a constant step every estimate
 * converges to the exact optimum (DGD's stalls at a floor). A message carries [x, y] (2 * dim
 * values). After env step s every estimate is the textbook x^s (see {@link Controller}).
 */
public final class GradientTracking extends ConsensusAlgorithm {

    public static final String NAME = "gradient-tracking";

    /**
     * The default step_size alpha: the largest round value for which the iteration converged on
     * all of 200 problems drawn like the default ones (0.04 diverged on one); the theory's bound is
     * far smaller. The same default as dgd and extra, so their figures compare.
     */
    static final double DEFAULT_STEP_SIZE = 0.03;

    /** The message: the estimate x, then the tracker y. */
    private static final int VECTORS_PER_MESSAGE = 2;

    public GradientTracking() {
        super(NAME, VECTORS_PER_MESSAGE, DEFAULT_STEP_SIZE);
    }

    @Override
    public String description() {
        return "Gradient tracking (DIGing; Nedic, Olshevsky, Shi 2017; Qu, Li 2018): x <- W x - alpha y, "
                + "y <- W y + g(x_new) - g(x_old); exact convergence with a constant step_size alpha (default "
                + DEFAULT_STEP_SIZE + "). Needs message_size >= 2 * dim.";
    }

    @Override
    ConsensusController controller(EnvSpec spec, int agent, double stepSize) {
        return new Controller(spec, agent, stepSize);
    }

    /**
     * Agent i's DIGing. Iteration k + 1 acts on x_i^k, g_i^k and each neighbour's message
     * (x_j^k, y_j^{k-1}); it moves to x_i^{k+1} and sends (x_i^{k+1}, y_i^k). The handshake sends
     * (x_i^0, y_i^0).
     */
    static final class Controller extends ConsensusController {

        private final double alpha;
        private final double[] previousGradient;
        /** y_i^k. */
        private final double[] tracker;

        Controller(EnvSpec spec, int agent, double stepSize) {
            super(spec, agent, VECTORS_PER_MESSAGE);
            this.alpha = stepSize;
            this.previousGradient = new double[dim];
            this.tracker = new double[dim];
        }

        @Override
        protected void iterate(int iteration) {
            if (iteration == 0) {
                System.arraycopy(gradient, 0, tracker, 0, dim); // y^0 = g(x^0)
                return;
            }
            if (iteration >= 2) {
                // y^k = W y^{k-1} + g(x^k) - g(x^{k-1})
                neighbours.mix(tracker, dim, mixed);
                for (int i = 0; i < dim; i++) {
                    tracker[i] = mixed[i] + gradient[i] - previousGradient[i];
                }
            }
            // x^{k+1} = W x^k - alpha y^k
            neighbours.mix(x, 0, mixed);
            for (int i = 0; i < dim; i++) {
                next[i] = mixed[i] - alpha * tracker[i];
            }
            System.arraycopy(gradient, 0, previousGradient, 0, dim);
        }

        @Override
        protected void writeMessageTail(float[] action, int start) {
            LeastSquaresPolicy.write(tracker, action, start);
        }
    }
}
