package org.marlopt.envs.leastsquares;

import java.util.ArrayList;
import java.util.List;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.comm.CommParameters;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;

/**
 * {@value #ID}: the consensus setting of distributed optimization (Qu and Li, "Harnessing
 * smoothness to accelerate distributed optimization", 2017). Agent i privately holds
 * (A_i, b_i); the team minimises F(x) = sum_i ||A_i x - b_i||^2, each agent moving its own
 * estimate x_i and talking to its neighbours on the communication graph.
 */
public final class DistributedLeastSquares implements EnvDefinition {

    public static final String ID = "DistributedLeastSquares-v1";

    static final int MEAN_GAP = 0;
    static final int GAP = 1;
    static final int CONSENSUS_ERROR = 2;
    static final int DISTANCE_TO_OPTIMUM = 3;
    static final int SCORE = 4;
    static final int SOLVED = 5;

    /** Gradient tracking sends its estimate and its gradient tracker: 2 * dim values (dim 4 by default). */
    private static final int DEFAULT_MESSAGE_SIZE = 8;

    private static final List<ParameterSpec> PARAMETERS = declareParameters();

    private static final String DESCRIPTION = """
            Distributed least squares (the consensus setting of Qu and Li). Agent i privately holds \
            A_i (rows x dim) and b_i (rows); the team minimises F(x) = sum_i ||A_i x - b_i||^2 over a \
            shared x, each agent keeping its own estimate x_i. Reset draws x_true ~ N(0, I), every \
            entry of A ~ N(0, 1/rows) and b_i = A_i x_true + noise * N(0, I), and starts every x_i \
            at 0. Action: a step delta_i in [-max_step, max_step]^dim added to x_i, then the \
            message. Own observation: [x_i, grad f_i(x_i)] with grad f_i(x) = 2 A_i^T (A_i x - b_i); \
            no shared observation. State: [x_1..x_N, x*]. Shared reward -(1/N) sum_i (F(x_i) - F*) / D \
            with D = F(0) - F*: 0 when every agent sits at the optimum x*, -1 at x = 0. Info: \
            mean_gap (= -reward), gap (of the mean estimate), consensus_error, distance_to_optimum, \
            score = 1 - mean_gap, solved (mean_gap < success_gap). Never terminates; truncated at \
            max_episode_steps. Reward gradient d r / d delta_i = -grad F(x_i) / (N D) at the new \
            x_i. Reset options: A and b together (replace the draw), x0 (starting estimates). \
            Message channel: ring by default, message_size 8 = 2 * the default dim (pass \
            2 * dim when you change dim), unbounded values.""";

    private static List<ParameterSpec> declareParameters() {
        List<ParameterSpec> specs = new ArrayList<>(List.of(
                ParameterSpec.integer("num_agents", "Number of agents, each with its own private data.", 8, 2, 256),
                ParameterSpec.integer("dim", "Dimension d of the decision vector x.", 4, 1, 64),
                ParameterSpec.integer("rows", "Rows m of each agent's A_i and b_i; num_agents * rows >= dim.",
                        5, 1, 1024),
                ParameterSpec.number("noise", "Standard deviation of the noise added to b = A x_true.", 0.1, 0, 100),
                ParameterSpec.number("max_step", "Bound on each element of an agent's step delta_i.", 1.0,
                        Double.MIN_VALUE, 1e6),
                ParameterSpec.integer("max_episode_steps", "Episodes are truncated after this many steps.", 200, 1,
                        1_000_000),
                ParameterSpec.number("success_gap", "An episode counts as solved while mean_gap is below this.",
                        1e-3, 1e-12, 1)));
        specs.addAll(CommParameters.specs("ring", DEFAULT_MESSAGE_SIZE));
        return List.copyOf(specs);
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return DESCRIPTION;
    }

    @Override
    public List<ParameterSpec> parameters() {
        return PARAMETERS;
    }

    @Override
    public ConfiguredEnv configure(Parameters params) {
        Settings settings = Settings.of(params);
        EnvSpec spec = spec(settings, params);
        return ConfiguredEnv.of(spec, () -> new DistributedLeastSquaresCopy(settings),
                        (options, numEnvs) -> ResetOptions.check(options, settings))
                .withCopyFootprint(DistributedLeastSquaresCopy.footprintBytes(settings));
    }

    private static EnvSpec spec(Settings settings, Parameters params) {
        int dim = settings.dim();
        float maxStep = (float) settings.maxStep();
        EnvSpec.Builder builder = EnvSpec.builder(ID, params)
                .state(unbounded(settings.numAgents() * dim + dim))
                .maxEpisodeSteps(settings.maxEpisodeSteps())
                .info(InfoSpec.scalar("mean_gap", "(1/N) sum_i (F(x_i) - F*) / D: the negative reward."))
                .info(InfoSpec.scalar("gap", "(F(xbar) - F*) / D for the mean estimate xbar."))
                .info(InfoSpec.scalar("consensus_error", "(1/N) sum_i ||x_i - xbar||^2."))
                .info(InfoSpec.scalar("distance_to_optimum", "max_i ||x_i - x*||."))
                .info(InfoSpec.scalar("score", "1 - mean_gap: 0 at x = 0, 1 at the optimum."))
                .info(InfoSpec.scalar("solved", "1 when mean_gap < success_gap, else 0."))
                .comm(CommParameters.channel(params, settings.numAgents(), Float.NEGATIVE_INFINITY,
                        Float.POSITIVE_INFINITY))
                .rewardGradient(true)
                .scoreKey("score")
                .successKey("solved");
        for (int i = 0; i < settings.numAgents(); i++) {
            builder.agent("agent_" + i, unbounded(2 * dim), BoxSpace.vector(dim, -maxStep, maxStep));
        }
        return builder.build();
    }

    private static BoxSpace unbounded(int size) {
        return BoxSpace.vector(size, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
    }

    /** The parameters, typed. */
    record Settings(int numAgents, int dim, int rows, double noise, double maxStep, int maxEpisodeSteps,
                    double successGap) {

        static Settings of(Parameters params) {
            int numAgents = params.integer("num_agents");
            int dim = params.integer("dim");
            int rows = params.integer("rows");
            if (numAgents * rows < dim) {
                throw new EnvArgumentException("params.rows", "num_agents (" + numAgents + ") x rows (" + rows
                        + ") = " + numAgents * rows + " equations cannot determine dim (" + dim + ") unknowns; "
                        + "raise rows to at least " + ceilDiv(dim, numAgents) + " or lower dim");
            }
            return new Settings(numAgents, dim, rows, params.number("noise"), params.number("max_step"),
                    params.integer("max_episode_steps"), params.number("success_gap"));
        }

        private static int ceilDiv(int numerator, int denominator) {
            return (numerator + denominator - 1) / denominator;
        }
    }
}
