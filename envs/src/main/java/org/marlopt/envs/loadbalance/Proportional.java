package org.marlopt.envs.loadbalance;

import org.marlopt.env.EnvSpec;

/** A static split proportional to the service rates, which gives every server the same utilisation. */
public final class Proportional extends RoutingPolicy {

    public static final String NAME = "proportional";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Proportional: weight mu_j / max mu on server j, the static split that loads every server "
                + "equally; ignores the observation. No settings.";
    }

    @Override
    WeightRule newRule(EnvSpec spec) {
        double[] rates = spec.params().numbers("service_rates");
        double fastest = 0;
        for (double rate : rates) {
            fastest = Math.max(fastest, rate);
        }
        float[] split = new float[rates.length];
        for (int j = 0; j < rates.length; j++) {
            split[j] = (float) (rates[j] / fastest);
        }
        return (observation, numServers, weights) -> System.arraycopy(split, 0, weights, 0, numServers);
    }
}
