package org.marlopt.envs.autoscale;

import java.util.Arrays;
import java.util.Map;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.policy.DecentralizedPolicy;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;

/**
 * Static provisioning for the peak: every service always asks for its share of the fewest
 * replicas whose analytic p99 meets the SLO at peak_rate (the {@link ClairvoyantAllocation} at
 * the diurnal peak, bursts not included). Each agent computes the allocation from the
 * environment's parameters and keeps its own entry; no observation or message is used.
 */
public final class StaticPeak implements PolicyDefinition {

    public static final String NAME = "static-peak";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Static peak provisioning: every service holds the replicas that meet the SLO at peak_rate under "
                + "the analytic model, never changing. No settings.";
    }

    @Override
    public boolean supports(EnvSpec spec) {
        return spec.envId().equals(MicroserviceAutoscale.ID);
    }

    @Override
    public TeamPolicy create(EnvSpec spec, int numEnvs, Map<String, Double> settings) {
        if (!supports(spec)) {
            throw new IllegalArgumentException(NAME + " drives " + MicroserviceAutoscale.ID + " only, not "
                    + spec.envId());
        }
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException("unknown setting(s) " + settings.keySet() + " for " + NAME
                    + "; it takes no settings, pass none");
        }
        MicroserviceAutoscale.Settings env = MicroserviceAutoscale.Settings.of(spec.params());
        int[] peak = peakAllocation(env);
        return new DecentralizedPolicy(NAME, spec, numEnvs, (copy, agent) -> (view, episodeStart, action) -> {
            Arrays.fill(action, 0f);
            action[0] = env.action(peak[agent]);
        });
    }

    static int[] peakAllocation(MicroserviceAutoscale.Settings env) {
        CallGraph graph = env.graph();
        int[] replicas = new int[graph.size()];
        new ClairvoyantAllocation(graph, new AnalyticModel(graph, env.latencyCap()), env.slo(), env.minReplicas(),
                env.maxReplicas()).solve(env.peakRate(), replicas);
        return replicas;
    }
}
