package org.marlopt.envs.seed;

import java.util.List;
import java.util.Map;
import org.marlopt.env.BoxSpace;
import org.marlopt.env.ConfiguredEnv;
import org.marlopt.env.EnvArgumentException;
import org.marlopt.env.EnvDefinition;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.InfoSpec;
import org.marlopt.env.ScoreReference;
import org.marlopt.env.param.ParameterSpec;
import org.marlopt.env.param.Parameters;
import org.marlopt.env.vector.EnvBatch;
import org.marlopt.env.vector.EnvCopy;

/** The seed notebook's environment, {@value #ID}: agents move blocks of a shared vector toward a target sum. */
public final class DistributedOptimization implements EnvDefinition {

    public static final String ID = "DistributedOptimization-v1";
    static final String INITIAL_PARAMS = "initial_params";
    /** Upper bound on param_dim, far above any useful size, so sizes cannot overflow. */
    static final int MAX_PARAM_DIM = 1 << 20;

    static final int OBJECTIVE = 0;
    static final int DISTANCE = 1;
    static final int SOLVED = 2;

    private static final List<ParameterSpec> PARAMETERS = List.of(
            ParameterSpec.integer("num_agents", "Number of agents; each owns param_dim / num_agents consecutive "
                    + "parameters.", 4, 1, MAX_PARAM_DIM),
            ParameterSpec.integer("param_dim", "Length of the shared parameter vector; must be divisible by "
                    + "num_agents.", 20, 1, MAX_PARAM_DIM),
            ParameterSpec.number("target", "Value the sum of the parameters should reach.", 5.0,
                    -Double.MAX_VALUE, Double.MAX_VALUE),
            ParameterSpec.integer("max_episode_steps", "Episodes are truncated after this many steps.", 50, 1,
                    Integer.MAX_VALUE),
            ParameterSpec.number("success_threshold", "An episode terminates when |target - sum| is below this.",
                    0.1, Double.MIN_VALUE, Double.MAX_VALUE));

    private static final String DESCRIPTION = """
            Cooperative distributed optimization (the seed notebook's environment). num_agents \
            agents share a vector of param_dim parameters in [-1, 1]; agent i owns the block \
            [i*d/n, (i+1)*d/n). Reset draws every parameter uniformly in [-1, 1]. A step adds \
            each agent's action (any finite values, one per owned parameter, never clipped) to its \
            block and clips every parameter to [-1, 1]. Every agent gets the shared reward \
            -|target - sum(params)|. The episode terminates when |target - sum| < \
            success_threshold and is truncated after max_episode_steps steps. The parameter vector \
            is the shared observation (sent once) and the global state; agents have no own \
            observation and no message channel. Info: objective (the sum), distance \
            (|target - sum|) and solved (1 when distance < success_threshold). The reward gradient \
            is -sign(sum - target) for every action element whose clip is inactive, else 0. Reset \
            option "initial_params": param_dim values in [-1, 1] (all copies) or num_envs * \
            param_dim (one row per copy) replacing the random draw.""";

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
        return new ConfiguredEnv() {
            @Override
            public EnvSpec spec() {
                return spec;
            }

            @Override
            public EnvCopy newCopy() {
                return new DistributedOptimizationCopy(settings);
            }

            /** The copies' own loop: per copy, the calls would cost more than the step. */
            @Override
            public EnvBatch newBatch(int numEnvs) {
                return new DistributedOptimizationBatch(settings, numEnvs);
            }

            @Override
            public void checkResetOptions(Map<String, Object> options, int numEnvs) {
                InitialParams.check(options, settings.paramDim(), numEnvs);
            }
        };
    }

    private static EnvSpec spec(Settings settings, Parameters params) {
        BoxSpace parameters = BoxSpace.vector(settings.paramDim(), -1f, 1f);
        BoxSpace action = BoxSpace.vector(settings.blockSize(), Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        EnvSpec.Builder builder = EnvSpec.builder(ID, params)
                .sharedObservation(parameters)
                .state(parameters)
                .maxEpisodeSteps(settings.maxEpisodeSteps())
                .info(InfoSpec.scalar("objective", "Sum of the parameters (after clipping)."))
                .info(InfoSpec.scalar("distance", "|target - objective|; the reward is its negative."))
                .info(InfoSpec.scalar("solved", "1 when distance < success_threshold (the episode terminates), else 0."))
                .rewardGradient(true)
                // The oracle moves every parameter to target / param_dim, so its first step reaches the
                // least distance any action can (the target when reachable) and it stays there: a true optimum.
                .scoreReference(new ScoreReference(ScoreReference.ZERO, ScoreReference.ORACLE, ScoreReference.OPTIMUM))
                .successKey("solved");
        for (int i = 0; i < settings.numAgents(); i++) {
            builder.agent("agent_" + i, BoxSpace.vector(0, 0f, 0f), action);
        }
        return builder.build();
    }

    /** The parameters, typed. */
    record Settings(int numAgents, int paramDim, double target, int maxEpisodeSteps, double successThreshold) {

        static Settings of(Parameters params) {
            int numAgents = params.integer("num_agents");
            int paramDim = params.integer("param_dim");
            if (paramDim % numAgents != 0) {
                throw new EnvArgumentException("params.param_dim", "param_dim (" + paramDim
                        + ") must be divisible by num_agents (" + numAgents + ") so every agent owns an equal "
                        + "block; choose e.g. param_dim = " + numAgents * Math.max(1, paramDim / numAgents));
            }
            return new Settings(numAgents, paramDim, params.number("target"), params.integer("max_episode_steps"),
                    params.number("success_threshold"));
        }

        int blockSize() {
            return paramDim / numAgents;
        }
    }
}
