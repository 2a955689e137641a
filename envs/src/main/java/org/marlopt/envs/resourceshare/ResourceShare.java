package org.marlopt.envs.resourceshare;

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
 * {@value #ID}: the seed's "balancing resource allocation across microservices". N services
 * share a capacity budget B; each agent shifts its service's capacity, and the team minimises
 * the total queueing cost.
 */
public final class ResourceShare implements EnvDefinition {

    public static final String ID = "ResourceShare-v1";

    static final int SCORE = 0;
    static final int GAP = 1;
    static final int COST = 2;
    static final int OPTIMAL_COST = 3;
    static final int SOLVED = 4;
    /** Declared for the mm1 cost only. */
    static final int MEAN_RESPONSE_TIME = 5;

    private static final List<ParameterSpec> PARAMETERS = declareParameters();

    private static final String DESCRIPTION = """
            Capacity sharing across microservices (the seed's resource-allocation case). \
            num_agents services share the budget B = num_agents * budget_per_service (b); service \
            i has arrival rate lambda_i = u_i * b, u_i ~ U[load_min, load_max] drawn at every reset \
            (or fixed by arrival_rates), and cost f_i(c_i): mm1 = lambda_i / (c_i - lambda_i) (mean \
            number in an M/M/1 queue), quadratic = (c_i - 2 lambda_i)^2 / (2 lambda_i). Reset gives \
            every service c_i = b. Action: a_i in [-1, 1], then the message; a step sets c to the \
            Euclidean projection of c + step_size * b * a onto {sum c = B, c_i >= lambda_i + \
            min_headroom * b}. Own observation [c_i, lambda_i, f_i(c_i), f_i'(c_i)]; no shared \
            observation. State [c_1..c_N, lambda_1..lambda_N]. Shared reward -(F(c) - F*) / D with \
            F = sum f_i, F* the optimum (KKT closed form; for mm1 the square-root allocation) and \
            D = F(equal split) - F*: 0 at the optimum, -1 at the equal split. Info: score = 1 - \
            gap, gap, cost, optimal_cost, solved (gap < success_gap), and for mm1 \
            mean_response_time = F / sum lambda (Little's law). Never terminates; truncated at \
            max_episode_steps. Reward gradient d r / d a_i = -(step_size * b / D) (f_i'(c_i) - \
            mean of f_j'(c_j) over the services above their floor) for a service above its floor, \
            else 0. No reset options. Message channel: ring, message_size 2, unbounded values.""";

    private static List<ParameterSpec> declareParameters() {
        List<ParameterSpec> specs = new ArrayList<>(List.of(
                ParameterSpec.integer("num_agents", "Number of services, one agent each.", 8, 2, 1024),
                ParameterSpec.number("budget_per_service", "b: the budget is B = num_agents * b; loads, headroom "
                        + "and steps are in units of b.", 1.0, 1e-6, 1e6),
                ParameterSpec.number("load_min", "Drawn arrival rates are u * b, u ~ U[load_min, load_max]; "
                        + "load_min <= load_max.", 0.1, 0.01, 0.99),
                ParameterSpec.number("load_max", "Upper end of the drawn loads u.", 0.9, 0.01, 0.99),
                ParameterSpec.numbers("arrival_rates", "Fixed arrival rates, one per service, each below b and at "
                        + "most (1 - min_headroom) * b; empty: drawn at every reset.", List.of(), Double.MIN_VALUE,
                        1e6, 2, 1024),
                ParameterSpec.choice("cost", "Per-service cost: mm1 = lambda / (c - lambda), quadratic = "
                        + "(c - 2 lambda)^2 / (2 lambda).", CostModel.MM1.parameterValue(),
                        List.of(CostModel.MM1.parameterValue(), CostModel.QUADRATIC.parameterValue())),
                ParameterSpec.number("min_headroom", "h: every service keeps c_i >= lambda_i + h * b (mm1 needs "
                        + "h > 0).", 0.001, 0, 0.01),
                ParameterSpec.number("step_size", "An action a_i in [-1, 1] moves c_i by step_size * b * a_i before "
                        + "the projection.", 0.05, Double.MIN_VALUE, 1),
                ParameterSpec.integer("max_episode_steps", "Episodes are truncated after this many steps.", 200, 1,
                        1_000_000),
                ParameterSpec.number("success_gap", "An episode counts as solved while the gap is below this.", 1e-3,
                        1e-9, 1)));
        specs.addAll(CommParameters.specs("ring", 2));
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

    /** No reset options: the default {@link ConfiguredEnv#checkResetOptions} ignores every key. */
    @Override
    public ConfiguredEnv configure(Parameters params) {
        Settings settings = Settings.of(params);
        EnvSpec spec = spec(settings, params);
        return ConfiguredEnv.of(spec, () -> new ResourceShareCopy(settings));
    }

    private static EnvSpec spec(Settings settings, Parameters params) {
        int numAgents = settings.numAgents();
        float budget = (float) settings.budget();
        float perService = (float) settings.budgetPerService();
        float infinity = Float.POSITIVE_INFINITY;
        BoxSpace own = new BoxSpace(new int[] {4}, new float[] {0f, 0f, 0f, -infinity},
                new float[] {budget, perService, infinity, infinity});
        BoxSpace state = BoxSpace.concat(BoxSpace.vector(numAgents, 0f, budget),
                BoxSpace.vector(numAgents, 0f, perService));
        EnvSpec.Builder builder = EnvSpec.builder(ID, params)
                .state(state)
                .maxEpisodeSteps(settings.maxEpisodeSteps())
                .info(InfoSpec.scalar("score", "1 - gap: 0 at the equal split, 1 at the optimum."))
                .info(InfoSpec.scalar("gap", "(F - F*) / D: the negative reward."))
                .info(InfoSpec.scalar("cost", "F = sum_i f_i(c_i)."))
                .info(InfoSpec.scalar("optimal_cost", "F*, the least total cost within the budget and floors."))
                .info(InfoSpec.scalar("solved", "1 when gap < success_gap, else 0."))
                .comm(CommParameters.channel(params, numAgents, -infinity, infinity))
                .rewardGradient(true)
                .scoreKey("score")
                .successKey("solved");
        if (settings.cost() == CostModel.MM1) {
            builder.info(InfoSpec.scalar("mean_response_time", "F / sum lambda: the mean response time by "
                    + "Little's law."));
        }
        for (int i = 0; i < numAgents; i++) {
            builder.agent("agent_" + i, own, BoxSpace.vector(1, -1f, 1f));
        }
        return builder.build();
    }

    /** The parameters, typed and checked together. */
    record Settings(int numAgents, double budgetPerService, double loadMin, double loadMax, double[] arrivalRates,
                    CostModel cost, double minHeadroom, double stepSize, int maxEpisodeSteps, double successGap) {

        static Settings of(Parameters params) {
            Settings settings = new Settings(params.integer("num_agents"), params.number("budget_per_service"),
                    params.number("load_min"), params.number("load_max"), params.numbers("arrival_rates"),
                    CostModel.of(params.choice("cost")), params.number("min_headroom"), params.number("step_size"),
                    params.integer("max_episode_steps"), params.number("success_gap"));
            settings.check();
            return settings;
        }

        private void check() {
            if (loadMin > loadMax) {
                throw new EnvArgumentException("params.load_min", "load_min (" + loadMin + ") must not exceed "
                        + "load_max (" + loadMax + "); lower load_min or raise load_max");
            }
            if (cost == CostModel.MM1 && minHeadroom == 0) {
                throw new EnvArgumentException("params.min_headroom", "cost mm1 needs min_headroom > 0: at "
                        + "c_i = lambda_i the queue is unstable and its cost infinite; use a positive min_headroom "
                        + "(default 0.001) or cost quadratic");
            }
            if (arrivalRates.length > 0) {
                checkArrivalRates();
            }
        }

        /** Given rates must leave the equal split c_i = b feasible: lambda_i < b and lambda_i + h b <= b. */
        private void checkArrivalRates() {
            if (arrivalRates.length != numAgents) {
                throw new EnvArgumentException("params.arrival_rates", "arrival_rates has " + arrivalRates.length
                        + " values but num_agents is " + numAgents + "; give one rate per service, or [] to draw "
                        + "them at every reset");
            }
            double largest = budgetPerService - headroom();
            for (int i = 0; i < numAgents; i++) {
                if (!(arrivalRates[i] < budgetPerService && arrivalRates[i] <= largest)) {
                    throw new EnvArgumentException("params.arrival_rates", "arrival_rates[" + i + "] = "
                            + arrivalRates[i] + " leaves no headroom at the equal split: every rate must be below "
                            + "budget_per_service (" + budgetPerService + ") and at most (1 - min_headroom) * "
                            + "budget_per_service = " + largest + "; lower the rate or raise budget_per_service");
                }
            }
        }

        /** B. */
        double budget() {
            return numAgents * budgetPerService;
        }

        /** h * b: the spare capacity every service keeps above its load. */
        double headroom() {
            return minHeadroom * budgetPerService;
        }

        /** step_size * b: how far a full action moves a capacity. */
        double stepLength() {
            return stepSize * budgetPerService;
        }
    }
}
