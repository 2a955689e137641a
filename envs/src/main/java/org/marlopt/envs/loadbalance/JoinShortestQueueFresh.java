package org.marlopt.envs.loadbalance;

import org.marlopt.env.EnvSpec;

/** {@link JoinShortestQueue} with fresh values of every server: the full-information bound. */
public final class JoinShortestQueueFresh extends JoinShortestQueue {

    public static final String NAME = "jsq-fresh";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "Join the shortest queue on fresh values of every server: the full-information bound; needs "
                + "params.fresh_information=true. No settings.";
    }

    /** Only where every dispatcher sees fresh values: otherwise it would be jsq under another name. */
    @Override
    public boolean supports(EnvSpec spec) {
        return super.supports(spec) && spec.params().bool("fresh_information");
    }

    @Override
    void checkSpec(EnvSpec spec) {
        if (!spec.params().bool("fresh_information")) {
            throw new IllegalArgumentException(NAME + " is the full-information bound and needs fresh values of "
                    + "every server: make the environment with params.fresh_information=true, or use "
                    + JoinShortestQueue.NAME + " on stale values");
        }
    }
}
