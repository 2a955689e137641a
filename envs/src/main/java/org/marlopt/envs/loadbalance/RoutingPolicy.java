package org.marlopt.envs.loadbalance;

import java.util.Arrays;
import java.util.Map;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.policy.DecentralizedPolicy;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;

/**
 * What the load-balancing baselines share: they drive {@value LoadBalance#ID} in multi mode, take
 * no settings, send no messages, and each dispatcher sets its routing weights from its own
 * observation alone, [queue length of each server, unfinished work of each server].
 */
abstract class RoutingPolicy implements PolicyDefinition {

    /** One dispatcher's rule: its weights, each in [0, 1], from what it observes. */
    interface WeightRule {
        void weights(float[] observation, int numServers, float[] weights);
    }

    /** A rule for one dispatcher in one copy (a rule may keep scratch arrays). */
    abstract WeightRule newRule(EnvSpec spec);

    /** Refuses a spec the rule cannot drive beyond the common checks; none by default. */
    void checkSpec(EnvSpec spec) {}

    @Override
    public boolean supports(EnvSpec spec) {
        return spec.envId().equals(LoadBalance.ID) && spec.params().choice("mode").equals(LoadBalance.MULTI);
    }

    @Override
    public TeamPolicy create(EnvSpec spec, int numEnvs, Map<String, Double> settings) {
        if (!spec.envId().equals(LoadBalance.ID)) {
            throw new IllegalArgumentException(name() + " drives " + LoadBalance.ID + " only, not " + spec.envId());
        }
        if (!spec.params().choice("mode").equals(LoadBalance.MULTI)) {
            throw new IllegalArgumentException(name() + " sets routing weights per epoch, so it needs params.mode="
                    + LoadBalance.MULTI + ", not " + spec.params().choice("mode"));
        }
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException("unknown setting(s) " + settings.keySet() + " for " + name()
                    + "; it takes no settings, pass none");
        }
        checkSpec(spec);
        int numServers = spec.params().numbers("service_rates").length;
        WeightEncoding encoding = LoadBalance.Settings.encoding(spec.params());
        return new DecentralizedPolicy(name(), spec, numEnvs, (env, agent) -> {
            WeightRule rule = newRule(env);
            return (observation, episodeStart, action) -> {
                Arrays.fill(action, 0f);
                rule.weights(observation, numServers, action);
                encoding.encode(action, numServers);
            };
        });
    }

    /** Weight 1 on every server whose value is the least of values[from .. from + count), 0 elsewhere. */
    static void onMinimum(float[] values, int from, int count, float[] weights) {
        float least = Float.POSITIVE_INFINITY;
        for (int j = 0; j < count; j++) {
            least = Math.min(least, values[from + j]);
        }
        for (int j = 0; j < count; j++) {
            weights[j] = values[from + j] == least ? 1f : 0f;
        }
    }
}
