package org.marlopt.envs.resourceshare;

import java.util.Arrays;
import java.util.Map;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.Part;
import org.marlopt.env.comm.CommGraph;
import org.marlopt.env.policy.AgentController;
import org.marlopt.env.policy.DecentralizedPolicy;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;

/**
 * The center-free algorithm for resource allocation: Y. C. Ho, L. Servi, R. Suri, "A class of
 * center-free resource allocation algorithms", Large Scale Systems 1, 1980; scaled as in L. Xiao,
 * S. Boyd, "Optimal scaling of a gradient method for distributed resource allocation", J. Optim.
 * Theory Appl. 129(3), 2006.
 *
 * <pre>
 *   c^{k+1} = c^k - alpha L f'(c^k),   L = I - W the weighted Laplacian:
 *   c_i^{k+1} = c_i^k + alpha sum_j W_ij (f_j'(c_j^k) - f_i'(c_i^k))
 * </pre>
 *
 * Capacity flows from the services with a low marginal cost to their neighbours with a high one,
 * edge by edge, so the budget sum_i c_i = B is kept and the fixed point is the optimum (every
 * marginal cost equal). A message carries the sender's marginal cost (1 value).
 */
public final class CenterFree implements PolicyDefinition {

    public static final String NAME = "center-free";

    /**
     * @param stepSize alpha. Near the optimum the iteration converges when alpha lambda_max(L)
     *     max_i f_i''(c_i*) < 2, with lambda_max(L) = 4/3 on the default ring. Over default mm1
     *     draws max_i f_i''(c_i*) is about 13 (median), 31 (90th percentile) and 70 (99th), so the
     *     default 0.02 meets the bound on 99% of them. Far from the optimum (a heavily loaded
     *     service starts with little headroom and a steep cost) the environment's bound on a
     *     move, step_size * b per step, holds the iteration back. For mm1, f'' scales as 1/b^2:
     *     scale alpha by b^2 when you change budget_per_service (by b for the quadratic cost).
     */
    public record Settings(double stepSize) {
        public static final Settings DEFAULTS = new Settings(0.02);

        static Settings of(Map<String, Double> given) {
            for (String name : given.keySet()) {
                if (!name.equals(STEP_SIZE)) {
                    throw new IllegalArgumentException("unknown setting '" + name + "' for " + NAME + "; its only "
                            + "setting is " + STEP_SIZE + " (default " + DEFAULTS.stepSize() + ")");
                }
            }
            Double stepSize = given.getOrDefault(STEP_SIZE, DEFAULTS.stepSize());
            if (stepSize == null || !(stepSize > 0) || Double.isInfinite(stepSize)) {
                throw new IllegalArgumentException(NAME + " setting " + STEP_SIZE + " must be a finite number > 0, "
                        + "got " + stepSize + "; omit it for the default " + DEFAULTS.stepSize());
            }
            return new Settings(stepSize);
        }
    }

    private static final String STEP_SIZE = "step_size";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Center-free resource allocation (Ho, Servi, Suri 1980; Xiao, Boyd 2006): c_i <- c_i + alpha "
                + "sum_j W_ij (f_j'(c_j) - f_i'(c_i)), keeping the budget; step_size alpha (default "
                + Settings.DEFAULTS.stepSize() + "). Needs message_size >= 1.";
    }

    @Override
    public boolean supports(EnvSpec spec) {
        return spec.envId().equals(ResourceShare.ID) && spec.comm().messageSize() >= 1;
    }

    @Override
    public TeamPolicy create(EnvSpec spec, int numEnvs, Map<String, Double> settings) {
        if (!supports(spec)) {
            throw new IllegalArgumentException(NAME + " drives " + ResourceShare.ID + " with message_size >= 1 (it "
                    + "sends its marginal cost), not " + spec.envId() + " with message_size "
                    + spec.comm().messageSize());
        }
        Settings chosen = Settings.of(settings);
        return new DecentralizedPolicy(NAME, spec, numEnvs, (env, agent) -> new Controller(env, agent, chosen));
    }

    /**
     * Agent i's center-free step, one iteration per env step. It observes [c_i, lambda_i,
     * f_i(c_i), f_i'(c_i)] and each neighbour's message f_j'(c_j) for the same iterate: every
     * agent knows its own cost function (lambda_i and the spec's cost model), so it sends the
     * marginal cost at the capacity its action moves it to. The first step of an episode, with an
     * empty inbox, moves by 0 and sends f_i'(c_i^0): the handshake.
     *
     * <p>A neighbour whose message did not arrive this step counts with the last marginal cost it
     * got through; one not heard from yet in this episode counts as agreeing (no flow on that
     * edge). With message_delay the marginal costs are that many steps old and the iteration runs
     * asynchronously; it does not wait, as its fixed point does not depend on which messages
     * arrive. The environment's projection keeps the budget whatever the moves.
     */
    static final class Controller implements AgentController {

        private final double alpha;
        private final CostModel cost;
        /** step_size * b: how far a full action moves a capacity. */
        private final double stepLength;
        /** min_headroom * b: the capacity floor above the load. */
        private final double headroom;
        /** Where [c_i, lambda_i, f_i(c_i), f_i'(c_i)] starts in the agent's view. */
        private final int ownStart;
        private final int inboxStart;
        private final int slotSize;
        private final int messageStart;
        /** W_ij per in-neighbour j, in inbox order. */
        private final double[] weights;
        private final double[] lastHeardMarginal;
        private final boolean[] heard;

        Controller(EnvSpec spec, int agent, Settings settings) {
            this.alpha = settings.stepSize();
            this.cost = CostModel.of(spec.params().choice("cost"));
            double budgetPerService = spec.params().number("budget_per_service");
            this.stepLength = spec.params().number("step_size") * budgetPerService;
            this.headroom = spec.params().number("min_headroom") * budgetPerService;
            int shared = spec.sharedObservationSpace().size();
            this.ownStart = shared + spec.agents().get(agent).observationPart(Part.OWN).offset();
            this.inboxStart = shared + spec.agents().get(agent).observationPart(Part.INBOX).offset();
            this.slotSize = spec.comm().slotSize();
            this.messageStart = spec.agents().get(agent).actionPart(Part.MESSAGE).offset();
            CommGraph graph = spec.comm().graph();
            int[] neighbours = graph.inNeighbours(agent);
            this.weights = new double[neighbours.length];
            for (int j = 0; j < neighbours.length; j++) {
                weights[j] = graph.weight(agent, neighbours[j]);
            }
            this.lastHeardMarginal = new double[neighbours.length];
            this.heard = new boolean[neighbours.length];
        }

        @Override
        public void act(float[] view, boolean episodeStart, float[] action) {
            if (episodeStart) {
                Arrays.fill(heard, false);
            }
            double capacity = view[ownStart];
            double rate = view[ownStart + 1];
            double marginal = view[ownStart + 3];
            // c_i^{k+1} - c_i^k = alpha sum_j W_ij (f_j'(c_j^k) - f_i'(c_i^k))
            double move = 0;
            for (int j = 0; j < weights.length; j++) {
                int slot = inboxStart + j * slotSize;
                if (view[slot] != 0f) {
                    heard[j] = true;
                    lastHeardMarginal[j] = view[slot + 1];
                }
                if (heard[j]) {
                    move += weights[j] * (lastHeardMarginal[j] - marginal);
                }
            }
            move *= alpha;
            // the environment moves c_i by step_size * b * a_i, a_i in [-1, 1]
            float a = (float) Math.max(-1, Math.min(1, move / stepLength));
            double next = Math.max(capacity + stepLength * a, rate + headroom);
            action[0] = a;
            action[messageStart] = (float) cost.marginalCost(next, rate);
            Arrays.fill(action, messageStart + 1, action.length, 0f);
        }
    }
}
