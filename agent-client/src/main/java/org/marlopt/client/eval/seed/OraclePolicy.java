package org.marlopt.client.eval.seed;

import org.marlopt.client.policy.Policy;
import org.marlopt.client.session.EnvSession;
import org.marlopt.client.session.SessionSpec;

/**
 * The seed's limit: agent i owns parameter block i (actionSize parameters) of the global state and
 * moves every parameter of it to target / paramDim, so the sum hits the target in one step.
 */
final class OraclePolicy implements Policy {

    static final String NAME = "oracle";

    private final float average;
    private final int paramDim;

    OraclePolicy(SessionSpec spec) {
        this.paramDim = spec.stateSize();
        int blocks = 0;
        for (int agent = 0; agent < spec.numAgents(); agent++) {
            blocks += spec.actionSize(agent);
        }
        if (blocks != paramDim) {
            throw new IllegalStateException("the oracle needs the state to be the agents' parameter blocks: state "
                    + "size " + paramDim + " != the agents' " + blocks + " action values");
        }
        this.average = (float) (spec.env().params().number(SeedExtras.TARGET) / paramDim);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void act(EnvSession session, float[][] actions) {
        float[] states = session.state();
        int copies = session.spec().numEnvs();
        int block = 0;
        for (int agent = 0; agent < actions.length; agent++) {
            int actionSize = actions[agent].length / copies;
            for (int copy = 0; copy < copies; copy++) {
                for (int j = 0; j < actionSize; j++) {
                    actions[agent][copy * actionSize + j] = average - states[copy * paramDim + block + j];
                }
            }
            block += actionSize;
        }
    }
}
