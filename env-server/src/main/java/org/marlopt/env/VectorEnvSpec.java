package org.marlopt.env;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to drive a {@link VectorEnv}: agents in their fixed order, spaces, limits,
 * the parameters and options in force.
 *
 * @param infoKeys the diagnostics, in the index order of {@link Transition#info(int)}
 */
public record VectorEnvSpec(
        String envId,
        List<AgentSpace> agents,
        BoxSpace stateSpace,
        int maxEpisodeSteps,
        Map<String, Double> params,
        VectorOptions options,
        List<InfoKey> infoKeys) {

    public VectorEnvSpec {
        agents = List.copyOf(agents);
        params = Map.copyOf(params);
        infoKeys = List.copyOf(infoKeys);
    }

    public int numAgents() {
        return agents.size();
    }

    public int numEnvs() {
        return options.numEnvs();
    }
}
