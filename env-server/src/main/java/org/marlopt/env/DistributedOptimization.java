package org.marlopt.env;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Registry entry of the seed environment, {@value #ID}. */
public final class DistributedOptimization implements EnvDefinition {

    public static final String ID = "DistributedOptimization-v1";

    static final List<InfoKey> INFO_KEYS = List.of(
            new InfoKey("objective", "Sum of the parameters (after clipping)."),
            new InfoKey("distance", "|target - objective|; the reward is its negative."));

    private static final String DESCRIPTION = """
            Cooperative distributed optimization (the seed notebook's environment). num_agents \
            agents share a vector of param_dim parameters in [-1, 1]; agent i owns the block \
            [i*d/n, (i+1)*d/n). Reset draws every parameter uniformly in [-1, 1]. A step adds \
            each agent's action (any finite values, one per owned parameter) to its block and \
            clips every parameter to [-1, 1]. Every agent gets the shared reward \
            -|target - sum(params)|. The episode terminates when |target - sum| < \
            success_threshold and is truncated after max_episode_steps steps. Every agent \
            observes the whole parameter vector, which is also the global state. Reset option \
            "initial_params": param_dim values in [-1, 1] (all copies) or num_envs * param_dim \
            (one row per copy) replacing the random draw.""";

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
        return DistributedOptimizationParams.SPECS;
    }

    @Override
    public VectorEnvSpec describe(Map<String, Double> params, VectorOptions options) {
        return spec(DistributedOptimizationParams.fromMap(params), options);
    }

    @Override
    public DistributedOptimizationEnv make(Map<String, Double> params, VectorOptions options) {
        return new DistributedOptimizationEnv(DistributedOptimizationParams.fromMap(params), options);
    }

    @Override
    public Prepared prepare(Map<String, Double> params, VectorOptions options) {
        DistributedOptimizationParams parsed = DistributedOptimizationParams.fromMap(params);
        VectorEnvSpec spec = spec(parsed, options);
        return new Prepared(spec, () -> new DistributedOptimizationEnv(parsed, options, spec));
    }

    static VectorEnvSpec spec(DistributedOptimizationParams params, VectorOptions options) {
        BoxSpace parameters = BoxSpace.vector(params.paramDim(), -1f, 1f);
        BoxSpace action = BoxSpace.vector(params.blockSize(),
                Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        List<AgentSpace> agents = new ArrayList<>();
        for (int i = 0; i < params.numAgents(); i++) {
            agents.add(new AgentSpace("agent_" + i, parameters, action));
        }
        return new VectorEnvSpec(ID, agents, parameters, params.maxEpisodeSteps(), params.toMap(),
                options, INFO_KEYS);
    }
}
