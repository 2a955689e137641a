package org.marlopt.envs.leastsquares;

import java.util.Arrays;
import java.util.Map;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.Part;
import org.marlopt.env.policy.AgentController;
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

    /**
     * Agent i's DGD. Iteration k + 1 acts on the observation after iteration k: x_i^k,
     * g_i^k = grad f_i(x_i^k) and each neighbour's x_j^k; it moves to x_i^{k+1} and sends it.
     * Iteration 0, at the start of an episode, is a handshake: it stays at x^0 and sends it. An
     * iteration takes message_delay + 1 env steps (one without delay), so after env step s the
     * estimates are the textbook x^{floor(s / (message_delay + 1))}.
     */
    static final class Controller implements AgentController {

        private final double alpha;
        private final int dim;
        private final int roundLength;
        /** Where x_i, then g_i, start in the agent's view. */
        private final int ownStart;
        private final int messageStart;
        private final NeighbourConsensus neighbours;
        private final double[] x;
        private final double[] gradient;
        private final double[] mixed;
        private final double[] next;
        /** Env steps taken in this episode. */
        private int step;

        Controller(EnvSpec spec, int agent, Settings settings) {
            this.alpha = settings.stepSize();
            this.dim = LeastSquaresPolicy.dim(spec);
            this.roundLength = LeastSquaresPolicy.roundLength(spec);
            this.ownStart = spec.sharedObservationSpace().size()
                    + spec.agents().get(agent).observationPart(Part.OWN).offset();
            this.messageStart = spec.agents().get(agent).actionPart(Part.MESSAGE).offset();
            this.neighbours = new NeighbourConsensus(spec, agent, VECTORS_PER_MESSAGE * dim);
            this.x = new double[dim];
            this.gradient = new double[dim];
            this.mixed = new double[dim];
            this.next = new double[dim];
        }

        @Override
        public void act(float[] view, boolean episodeStart, float[] action) {
            if (episodeStart) {
                step = 0;
                neighbours.startEpisode();
            }
            LeastSquaresPolicy.read(view, ownStart, x);
            LeastSquaresPolicy.read(view, ownStart + dim, gradient);
            neighbours.listen(view);
            // between iterations the neighbours' messages are in flight: stay, repeat the message
            boolean iterates = step % roundLength == 0;
            if (iterates) {
                iterate(step / roundLength);
            }
            step++;
            for (int i = 0; i < dim; i++) {
                action[i] = iterates ? (float) (next[i] - x[i]) : 0f;
            }
            LeastSquaresPolicy.write(next, action, messageStart);
            Arrays.fill(action, messageStart + VECTORS_PER_MESSAGE * dim, action.length, 0f);
        }

        /** Iteration {@code iteration} = k + 1: from x^k (in {@link #x}) to x^{k+1} (into {@link #next}). */
        private void iterate(int iteration) {
            if (iteration == 0) {
                // handshake: stay at x^0
                System.arraycopy(x, 0, next, 0, dim);
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
