package org.marlopt.envs.leastsquares;

import java.util.Map;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.policy.DecentralizedPolicy;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;

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
public final class Dgd implements PolicyDefinition {

    public static final String NAME = "dgd";

    /** @param stepSize alpha; the default 0.03 matches gradient-tracking and extra so their figures compare. */
    public record Settings(double stepSize) {
        public static final Settings DEFAULTS = new Settings(0.03);

        static Settings of(Map<String, Double> given) {
            return new Settings(LeastSquaresPolicy.stepSize(NAME, given, DEFAULTS.stepSize()));
        }
    }

    /** The message: the estimate x. */
    private static final int VECTORS_PER_MESSAGE = 1;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Decentralised gradient descent (Nedic, Ozdaglar 2009): x <- W x - alpha g(x); with a constant "
                + "step_size alpha (default " + Settings.DEFAULTS.stepSize() + ") it stalls at an error floor that "
                + "shrinks with alpha. Needs message_size >= dim.";
    }

    @Override
    public boolean supports(EnvSpec spec) {
        return LeastSquaresPolicy.supports(spec, VECTORS_PER_MESSAGE);
    }

    @Override
    public TeamPolicy create(EnvSpec spec, int numEnvs, Map<String, Double> settings) {
        LeastSquaresPolicy.requireSupported(NAME, spec, VECTORS_PER_MESSAGE);
        Settings chosen = Settings.of(settings);
        return new DecentralizedPolicy(NAME, spec, numEnvs, (env, agent) -> new Controller(env, agent, chosen));
    }

    /** Agent i's DGD: x_i^{k+1} = (W x^k)_i - alpha g_i(x_i^k), sending x_i^{k+1}. */
    static final class Controller extends ConsensusController {

        private final double alpha;

        Controller(EnvSpec spec, int agent, Settings settings) {
            super(spec, agent, VECTORS_PER_MESSAGE);
            this.alpha = settings.stepSize();
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
