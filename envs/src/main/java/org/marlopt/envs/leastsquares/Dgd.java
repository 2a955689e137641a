package org.marlopt.envs.leastsquares;

import org.marlopt.env.EnvSpec;

/**
 * Decentralised gradient descent: A. Nedic, A. Ozdaglar, "Distributed subgradient methods for
 * multi-agent optimization", IEEE TAC 54(1), 2009.
 *
 * <pre>
 *   x^{k+1} = W x^k - alpha g(x^k)
 * </pre>
 *
 * With a constant step it is not exact: a fixed point satisfies (I - W) x = -alpha g(x), so
 * unless every local gradient vanishes at one common point the estimates disagree by O(alpha)
 * and stall in a neighbourhood of x* whose gap shrinks with alpha (about as alpha^2). A message
 * carries x (dim values). After env step s every estimate is the textbook x^s.
 */
public final class Dgd extends ConsensusAlgorithm {

    public static final String NAME = "dgd";

    /** The default step_size alpha: the same as gradient-tracking's and extra's, so their figures compare. */
    static final double DEFAULT_STEP_SIZE = 0.03;

    /** The message: the estimate x. */
    private static final int VECTORS_PER_MESSAGE = 1;

    public Dgd() {
        super(NAME, VECTORS_PER_MESSAGE, DEFAULT_STEP_SIZE);
    }

    @Override
    public String description() {
        return "Decentralised gradient descent (Nedic, Ozdaglar 2009): x <- W x - alpha g(x); with a constant "
                + "step_size alpha (default " + DEFAULT_STEP_SIZE + ") it stalls at an error floor that "
                + "shrinks with alpha. Needs message_size >= dim.";
    }

    @Override
    ConsensusController controller(EnvSpec spec, int agent, double stepSize) {
        return new Controller(spec, agent, stepSize);
    }

    /** Agent i's DGD: x_i^{k+1} = (W x^k)_i - alpha g_i(x_i^k), sending x_i^{k+1}. */
    static final class Controller extends ConsensusController {

        private final double alpha;

        Controller(EnvSpec spec, int agent, double stepSize) {
            super(spec, agent, VECTORS_PER_MESSAGE);
            this.alpha = stepSize;
        }

        @Override
        protected void iterate(int iteration) {
            if (iteration == 0) {
                return;
            }
            // x^{k+1} = W x^k - alpha g(x^k)
            neighbours.mix(x, 0, mixed);
            for (int i = 0; i < dim; i++) {
                next[i] = mixed[i] - alpha * gradient[i];
            }
        }
    }
}
