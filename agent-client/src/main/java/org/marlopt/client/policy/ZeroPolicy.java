package org.marlopt.client.policy;

import java.util.Arrays;
import org.marlopt.client.session.EnvSession;

/** The floor: every action and message is 0 (no agent ever moves). */
public final class ZeroPolicy implements Policy {

    public static final String NAME = "zero";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void act(EnvSession session, float[][] actions) {
        for (float[] agentActions : actions) {
            Arrays.fill(agentActions, 0f);
        }
    }
}
