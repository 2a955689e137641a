package org.marlopt.envs.loadbalance;

import org.marlopt.env.EnvSpec;

/** All weight on the server with the least observed unfinished work (in time units), ties split. */
public final class LeastWorkLeft extends RoutingPolicy {

    public static final String NAME = "least-work-left";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Least work left: all weight on the server with the least observed unfinished work (work / mu, "
                + "stale for servers the dispatcher does not own), ties split. No settings.";
    }

    @Override
    WeightRule newRule(EnvSpec spec) {
        return (observation, numServers, weights) -> onMinimum(observation, numServers, numServers, weights);
    }
}
