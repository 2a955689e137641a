package org.marlopt.envs.loadbalance;

import java.util.Arrays;
import org.marlopt.env.EnvSpec;

/** Equal weights: uniform random routing, or exact round robin under routing weighted_round_robin. */
public final class RoundRobin extends RoutingPolicy {

    public static final String NAME = "round-robin";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Round robin: equal weights on every server (uniform random routing; exact round robin under "
                + "routing=weighted_round_robin). No settings.";
    }

    @Override
    WeightRule newRule(EnvSpec spec) {
        return (observation, numServers, weights) -> Arrays.fill(weights, 0, numServers, 1f);
    }
}
