package org.marlopt.client.agent;

import org.marlopt.client.env.EnvDims;
import org.marlopt.client.env.VectorSession;

/**
 * The limit: agent i owns parameter block i (actionSize parameters) of the global state and
 * moves every parameter of it to target / paramDim, so the sum hits the target in one step.
 */
public final class OraclePolicy implements Policy {

    @Override
    public String name() {
        return "oracle";
    }

    @Override
    public float[] act(VectorSession env) {
        EnvDims dims = env.dims();
        int paramDim = dims.stateSize();
        if (paramDim != dims.numAgents() * dims.actionSize()) {
            throw new IllegalStateException("oracle needs the state to be the agents' parameter blocks: state size "
                    + paramDim + " != " + dims.numAgents() + " agents x " + dims.actionSize());
        }
        float average = (float) (dims.target() / paramDim);
        float[] states = env.states();
        float[] actions = new float[dims.numAgents() * dims.numEnvs() * dims.actionSize()];
        for (int agent = 0; agent < dims.numAgents(); agent++) {
            for (int copy = 0; copy < dims.numEnvs(); copy++) {
                for (int j = 0; j < dims.actionSize(); j++) {
                    int parameter = agent * dims.actionSize() + j;
                    actions[(agent * dims.numEnvs() + copy) * dims.actionSize() + j] =
                            average - states[copy * paramDim + parameter];
                }
            }
        }
        return actions;
    }
}
