package org.marlopt.envs.loadbalance;

import org.marlopt.env.EnvSpec;

/**
 * Join the shortest queue on what the dispatcher sees (one epoch stale for the servers it does
 * not own): all weight on the fewest jobs, split evenly among ties.
 */
public class JoinShortestQueue extends RoutingPolicy {

    public static final String NAME = "jsq";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Join the shortest queue: all weight on the server with the fewest jobs as the dispatcher sees "
                + "them (stale for servers it does not own), ties split. No settings.";
    }

    @Override
    WeightRule newRule(EnvSpec spec) {
        return (observation, numServers, weights) -> onMinimum(observation, 0, numServers, weights);
    }
}
