package org.marlopt.client.env;

import java.util.List;

/**
 * Sizes and task constants of a vector environment session, as resolved by the server.
 *
 * @param agentNames agent names in the order every array uses
 * @param numEnvs copies stepped together
 * @param observationSize values one agent observes in one copy
 * @param actionSize values one agent sends for one copy
 * @param stateSize values of one copy's global state
 * @param target value the parameters must sum to
 * @param successThreshold solved when |target - sum| is below this
 */
public record EnvDims(
        List<String> agentNames,
        int numEnvs,
        int observationSize,
        int actionSize,
        int stateSize,
        double target,
        double successThreshold) {

    public int numAgents() {
        return agentNames.size();
    }
}
