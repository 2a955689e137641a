package org.marlopt.envs.resourceshare;

import java.util.Arrays;
import java.util.Map;
import org.marlopt.env.EnvSpec;
import org.marlopt.env.policy.DecentralizedPolicy;
import org.marlopt.env.policy.PolicyDefinition;
import org.marlopt.env.policy.TeamPolicy;

/**
 * The naive baseline: every service keeps its equal share c_i = b of the budget (every action and
 * message 0), the allocation a reset starts from. Its score is 0 by the definition of the
 * environment's gap, the level every other policy is measured against. No settings.
 */
public final class EqualSplit implements PolicyDefinition {

    public static final String NAME = "equal-split";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Equal split: every service keeps capacity b (all actions 0); the naive level, score 0. No settings.";
    }

    @Override
    public boolean supports(EnvSpec spec) {
        return spec.envId().equals(ResourceShare.ID);
    }

    @Override
    public TeamPolicy create(EnvSpec spec, int numEnvs, Map<String, Double> settings) {
        if (!supports(spec)) {
            throw new IllegalArgumentException(NAME + " drives " + ResourceShare.ID + " only, not " + spec.envId());
        }
        if (!settings.isEmpty()) {
            throw new IllegalArgumentException("unknown setting(s) " + settings.keySet() + " for " + NAME
                    + "; it takes no settings, pass none");
        }
        return new DecentralizedPolicy(NAME, spec, numEnvs,
                (env, agent) -> (view, episodeStart, action) -> Arrays.fill(action, 0f));
    }
}
